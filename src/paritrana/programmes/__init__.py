"""Regional programmes (APBD) for vulnerable workers: programmes, beneficiary lists, enrolment, budget."""
