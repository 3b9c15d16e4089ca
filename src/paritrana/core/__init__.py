"""Shared pieces under every Django app: safe spreadsheet writing, upload limits and the tabular reader, text cleaning.

Pure where it can be: only ``limits.upload_limits`` reads Django's settings (decision 0011).
"""
