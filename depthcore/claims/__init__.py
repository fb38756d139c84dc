"""The papers' claims as functions of runs, each returning a `Verdict`.

One implementation serves `bench/` (which asserts the verdict and checks baselines) and
`depthcore report` (which prints the same table). One module per paper: `paper_a`, `lora`
(the LoRA blog), `freezing` (papers B and C), `cross` (ours, across papers); `verdict` holds the
`Verdict` and the wording of what an interval decides, `dispatch` groups runs into cells.
Intervals come from `depthcore.stats` only; thresholds, margins and expected verdicts from
`depthcore.criteria` (docs/design.md "Intervals", "Verdict rules"). Which runs each claim judges
at each tier is the bench's grid, `bench/grid.py`.
"""

from depthcore.claims.cross import PAIRS, cross_agreement
from depthcore.claims.dispatch import cell_key, cell_label, cells, is_plain, verdicts
from depthcore.claims.freezing import (backward_passes, compute_saved, deviation_ablation, deviation_location,
                                       first_n_comparison, freeze_allocation, knowledge_retention, layer_diagnostics,
                                       levelled_off, random_spread, semantic_selection, tp_onset)
from depthcore.claims.lora import FULL_PROFILES, LORA_PROFILES, delta_rank, lora_locus, lora_predicts_full, top_k_layers
from depthcore.claims.paper_a import (concentration, control_comparable, control_is_equal, equal_step,
                                      local_vs_propagated, objective_label, output_proximal, scale_narrowing,
                                      steepness_tracks_distance, width_by_architecture)
from depthcore.claims.verdict import ClaimNotReproduced, Verdict, VerdictChanged, seq_array

__all__ = ["PAIRS", "FULL_PROFILES", "LORA_PROFILES", "ClaimNotReproduced", "Verdict", "VerdictChanged",
           "backward_passes", "cell_key", "cell_label", "cells", "compute_saved", "concentration", "control_comparable",
           "control_is_equal", "cross_agreement", "delta_rank",
           "deviation_ablation", "deviation_location", "equal_step", "first_n_comparison", "freeze_allocation", "levelled_off",
           "is_plain", "knowledge_retention", "layer_diagnostics", "local_vs_propagated", "lora_locus", "lora_predicts_full",
           "objective_label", "output_proximal", "random_spread", "scale_narrowing", "semantic_selection", "seq_array",
           "steepness_tracks_distance", "top_k_layers", "tp_onset", "verdicts", "width_by_architecture"]
