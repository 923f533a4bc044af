"""Untrusted text is data: what a terminal or a spreadsheet would act on is taken out."""
