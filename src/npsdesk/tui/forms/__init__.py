"""Modal forms: treating a case, narrowing the list, writing an e-mail."""
