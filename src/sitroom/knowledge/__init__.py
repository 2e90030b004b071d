"""Knowledge kept as data in ``sitroom/data`` and the code that reads it.

``loader`` reads every data file: checked against the file's schema (an unknown or malformed key
names file and line), cached once per process, and extended or replaced by the user's files that
``sitroom.toml``'s ``[data]`` table names (``Config.overrides``). ``actors`` (with its file format
in ``actor_file``) indexes the actor knowledge base; ``cues`` the event cue lexicon;
``gazetteer`` GeoNames' places and the place tables. The stages read their own word lists
(numbers, place rules, headline case, relation cues, syntax) through ``loader`` too.
"""
