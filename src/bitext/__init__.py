"""bitext: search a bilingual Chinese/English corpus as parallel excerpts."""

__version__ = "0.1.0"
