"""The extract stage: one parsed report in, typed facts with their evidence out.

Each module is one step, run in this order by ``sitroom.pipeline``: ``toponyms`` and ``places``
(place names and their gazetteer readings; ``place_features`` and ``place_ranker`` for the learned
ranking), ``actors`` (names, demonyms and descriptions resolved to canonical actors), ``dates``
(time expressions against the publication date), ``fatalities`` (casualty figures), ``facts``
(what later steps share about the document), ``events`` (triggers, typed ACLED and PLOVER, with
``event_fields``, ``arguments``, ``event_places``, ``status`` and ``genericity``), ``relations``
(who backs whom), ``control`` (who holds which place) and ``incidents`` (mentions grouped into
the incidents they tell, when ``Config.incidents`` is on).
"""
