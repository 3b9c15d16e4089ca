"""Shared pieces under every Django app: safe spreadsheet writing, upload limits and the tabular reader, text cleaning,
bulk SQL, the workflows' refusal kinds, the models' shared field groups.

Pure where it can be: the import contract keeps ``errors``, ``tabular``, ``spreadsheet``, ``text`` and ``workflow``
free of Django (decisions 0011, 0027).
"""
