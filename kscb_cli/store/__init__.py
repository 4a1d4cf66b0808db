"""Reading the store: files to positioned data to validated records, from the working tree, the git index or a commit; kscb.yaml; references; the parsed-record cache."""
