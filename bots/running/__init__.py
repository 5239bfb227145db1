"""Running a whole job: workers, retries, the ledger, the report and the evidence."""
