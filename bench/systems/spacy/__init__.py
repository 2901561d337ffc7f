"""The `spacy` and `spacy-md` systems: spaCy's English pipelines for NER, and attribution
read from the same parse (`attribution.py`, over the rules' cue lexicon).

Where it sits: stage 3, systems. spaCy is imported only when a system is created.
"""
