"""The YAML job file: what it may hold, how it is read, and what is wrong with it, by line.

One module per concern; import from the module that holds a name:

- `models`: the pydantic models (Job, Record and what a record carries).
- `values`: the field types, parsing what people write (ids, dates, reasons, attachments).
- `yaml_reader`: YAML with line numbers, refusing aliases, merge keys and unusual tags.
- `defaults`: `defaults:` and the settings merged under each record.
- `problems`: a problem's place, key and values, and the one function that words it.
- `validation_problems`: pydantic's errors as problems, at their lines.
- `loader`: `load_job` and `parse_job`, every problem at once.
- `schema`: the JSON Schema for editors (`caljobs-bot schema > jobs/job.schema.json`).
- `exit_reasons`, `attachments`: the hard-exit reasons and the attachment rule.
- `spreadsheet` (with its `sheet_*` modules): a data team's .xlsx/.csv list as a job file.
"""
