"""Knowledge kept as data and the loaders that read it from ``sitroom/data``.

``actors`` (with its file format in ``actor_file``) indexes the actor knowledge base; ``cues``
the event cue lexicon; ``gazetteer`` GeoNames' places and the place tables. The word lists of
the other stages (numbers, place rules, headline case, relation cues) are read where they are
used, from the same folder.
"""
