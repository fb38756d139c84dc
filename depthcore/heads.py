"""Task heads the suite puts on a backbone, and the seeded initialisation of new head weights.

Objectives: decoders take "clm" and "cls", encoders "mlm" and "cls". "cls" is 5-way
sequence classification (BBC categories). CodeGen, Mamba, Mamba-2 and RWKV have no
`…ForSequenceClassification` in transformers, so this module defines one for each, the
same design as GPT-2's: a bias-free linear `score` on the last real token's final hidden
state. Parameters a checkpoint lacks (a new head) are initialised by `init_new_parameters`
under `torch.manual_seed(seed)`, the same way for every family.
"""

from __future__ import annotations

import torch
from torch import nn

class _LastTokenClassification:
    """Sequence classification for causal backbones transformers has no head for.

    As GPT-2's `GPT2ForSequenceClassification`: a bias-free linear `score` applied to the
    final hidden state of each sequence's last real token (rightmost attention_mask == 1,
    or rightmost non-pad token). Subclasses name the backbone class; the backbone sits under
    `base_model_prefix`, so a causal-LM checkpoint of the family loads into it directly.
    """

    backbone_class: type

    def __init__(self, config):
        super().__init__(config)
        self.num_labels = config.num_labels
        setattr(self, self.base_model_prefix, self.backbone_class(config))
        self.score = nn.Linear(config.hidden_size, config.num_labels, bias=False)
        self.post_init()

    def forward(self, input_ids=None, attention_mask=None, inputs_embeds=None, labels=None, output_hidden_states=None, **kwargs):
        from transformers.modeling_outputs import SequenceClassifierOutput

        out = self.base_model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            inputs_embeds=inputs_embeds,
            output_hidden_states=output_hidden_states,
            use_cache=False,
            return_dict=True,
        )
        h = out.last_hidden_state
        if attention_mask is not None:
            real = attention_mask
        elif input_ids is not None and self.config.pad_token_id is not None:
            real = (input_ids != self.config.pad_token_id).long()
        else:
            real = torch.ones(h.shape[:2], dtype=torch.long, device=h.device)
        positions = torch.arange(h.shape[1], device=h.device)
        last = (positions * real.to(h.device)).argmax(-1)
        logits = self.score(h[torch.arange(h.shape[0], device=h.device), last])
        loss = None if labels is None else nn.functional.cross_entropy(logits.float(), labels.to(logits.device))
        return SequenceClassifierOutput(loss=loss, logits=logits, hidden_states=out.hidden_states)


def _cls_classes() -> dict[str, type]:
    """model_type -> sequence-classification class for the families transformers lacks one for."""
    import transformers as tf

    class CodeGenForSequenceClassification(_LastTokenClassification, tf.CodeGenPreTrainedModel):
        backbone_class = tf.CodeGenModel

    class MambaForSequenceClassification(_LastTokenClassification, tf.MambaPreTrainedModel):
        backbone_class = tf.MambaModel

    class Mamba2ForSequenceClassification(_LastTokenClassification, tf.Mamba2PreTrainedModel):
        backbone_class = tf.Mamba2Model

    class RwkvForSequenceClassification(_LastTokenClassification, tf.RwkvPreTrainedModel):
        backbone_class = tf.RwkvModel

    return {
        "codegen": CodeGenForSequenceClassification,
        "mamba": MambaForSequenceClassification,
        "mamba2": Mamba2ForSequenceClassification,
        "rwkv": RwkvForSequenceClassification,
    }


_CLS_CLASSES: dict[str, type] = {}


def model_class(model_type: str, objective: str):
    import transformers as tf

    if objective == "cls":
        if not _CLS_CLASSES:
            _CLS_CLASSES.update(_cls_classes())
        return _CLS_CLASSES.get(model_type, tf.AutoModelForSequenceClassification)
    return {"clm": tf.AutoModelForCausalLM, "mlm": tf.AutoModelForMaskedLM}[objective]


def init_new_parameters(model: nn.Module, names: list[str], seed: int) -> None:
    """Initialise the parameters the checkpoint lacked (a new head), under torch.manual_seed(seed).

    Done here rather than left to transformers so that every family, including the
    classification classes of this module, gets the same seeded initialisation: weights
    N(0, initializer_range), biases 0, LayerNorm weights 1.
    """
    params = dict(model.named_parameters())
    std = getattr(model.config, "initializer_range", 0.02)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)
        for name in sorted(names):
            p = params.get(name)
            if p is None:
                continue
            owner = model.get_submodule(name.rsplit(".", 1)[0]) if "." in name else model
            if name.endswith("bias"):
                p.zero_()
            elif isinstance(owner, nn.LayerNorm):
                p.fill_(1.0)
            else:
                p.normal_(0.0, std)
