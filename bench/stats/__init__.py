"""Statistics over results records: bootstrap intervals (`bootstrap.py`) and paired
comparisons of two runs (`paired.py`). numpy is imported inside functions, so importing
these modules costs nothing at `bench --help`."""
