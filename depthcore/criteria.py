"""Every threshold and expected verdict of the suite, each with the sentence of the paper it encodes.

One module, so that a verdict's words and the rule behind them are read in one place
(docs/design.md "Verdict rules"). `depthcore.claims` applies these; `bench/` takes its
expected verdicts from here and nowhere else. The papers, cited by title:

- A: "Decomposing the Depth Profile of Fine-Tuning"
- B: "Freeze Deep, Train Shallow: Interpretable Layer Allocation for Continued Pre-Training"
- C: "A Semantic-Aware Layer-Freezing Approach to Computation-Efficient Fine-Tuning of
  Language Models" (ACL 2025, arXiv 2406.11753)
- LoRA blog: "Fine Tuning" (LoRA weight change by layer, meta-llama/Llama-3.2-3B)

A threshold that is ours, not the paper's, says so.
"""

from __future__ import annotations

CI = 0.95  # every verdict's interval is a 95% interval (stats.Interval); a claim holds when it lies on its side of 0
# Ours: the verdict table counts each claim's reproductions again after a Benjamini-Hochberg
# adjustment of its cells' p-values at this false-discovery rate (stats.bh_adjust).
FDR = 0.05

# Ours: a row judges a fine-tune only in the regime it needs. A classifier (objective "cls", five
# categories: chance 0.2) has learned when every run of its cell reaches this held-out accuracy,
# well above chance; below it the row reads "not trained (...)" in both readings, its statistic
# reported beside (claims.verdict.in_regime).
CLS_ACCURACY_FLOOR = 0.6
# Ours: papers B and C compare models after fine-tuning, so the claims about final quality
# (allocation, retention, selection, ablation, first N, random spread) need fine-tunes that have
# levelled off. The all-blocks arm has levelled off when the same runs at twice the steps (same
# rate, seeds and schedule) lower its held-out loss further by less than this share of the drop
# its own runs made (means over seeds); otherwise those rows read "not levelled off (...)" in both
# readings, their statistics reported beside (claims.verdict.levelled). A test inside one run ("the
# last quarter of the steps improves the loss by under 1%") cannot tell: the learning rate decays
# to 0, so the last quarter moves the loss little whether or not more steps would help (tiny
# GPT-2: 0.11% in its last quarter while twice the steps add 64% to its drop; docs/results.md).
LEVELLED_OFF = 0.1

# --------------------------------------------------------------------------- paper A
# A: "We apply a per-layer control that equalizes ||ΔW||/||W|| across layers after each optimizer
# step. Under this control, the profile persists in some conditions and collapses in others."
# Ours: a control whose mean |log(r*/r_l)| over logged steps and layers is below this rescaled the
# updates by less than ~10% on average; it cannot tell "persists" from "collapses", so its cell
# reads "control inert" (docs/design.md "Control strength").
CONTROL_INERT_BELOW = 0.1
# Ours: the equal-step control did its job when every logged step's measured r_l lies within this
# relative distance of the layers' mean, beyond what float32 weights can show
# (claims.control_is_equal); a bench cell with a larger deviation fails before it is judged.
CONTROL_EQUAL_BELOW = 1e-3
# A: "the profile persists in some conditions and collapses in others". Ours: "collapsed" is a
# claim of absence, so it needs evidence of absence: the controlled slope's interval lies at or
# below 0, or inside ±δ with δ this fraction of the standard runs' slope (two one-sided tests).
# A quarter: a controlled profile that keeps at most a quarter of the standard rise has lost most
# of it; a tighter margin needs more seeds than the tiers run (each verdict reports its mde).
# The stricter reading uses the same δ on the controlled excess slope over the matched null.
COLLAPSE_DELTA_FRAC = 0.25

# A (rebuttal): "report training curves plus final losses for matched standard vs. controlled runs
# to verify comparable loss geometry". Rule (claims.control_comparable): the share of the standard
# arm's held-out improvement that the controlled arm loses, (L_ctrl - L_std) / (L_before - L_std),
# paired by seed, has its interval's upper bound below this (ours: the margin of paper C's
# "comparable to full fine-tuning", SEMANTIC_MARGIN_FRAC): "comparable"; "worse under control" when
# its lower bound reaches it. A control that does better than standard training is comparable.
CONTROL_LOSS_MARGIN_FRAC = 0.10
# A (rebuttal): "both axes remain stable under the control in the sequential-block regimes where
# the profile persists". Ours, the stricter reading of claims.control_comparable, on every block
# type: beside comparable losses, the paired change of steepness (the slope of Δ_l, controlled -
# standard) lies inside ±δ, δ = COLLAPSE_DELTA_FRAC x |the standard slope|, and that of width
# (layers above config.TAU) inside ±WIDTH_STABLE_LAYERS.
WIDTH_STABLE_LAYERS = 1.0


def expected_under_control(block_type: str, objective: str) -> str:
    """A: "At 125M--350M, sequential-block architectures (BERT, OPT, GPT-2) retain the slope across
    tested objectives while parallel-block architectures (Pythia, CodeGen) retain it only for
    causal-language-modeling objectives." No claim for SSM / RNN blocks."""
    if block_type == "sequential":
        return "retained"
    if block_type == "parallel":
        return "retained" if objective == "clm" else "collapsed"
    return "no claim"


# A: "Representational change concentrates in output-proximal layers in every standard-training
# run except one"; its rebuttal judges this by "bootstrap confidence intervals on the fitted
# slopes". The paper's criterion (claims.output_proximal, and "retained" in claims.equal_step):
# the interval of the slope of Δ_l (training seeds and probe sequences) lies above 0. Ours, the stricter reading beside it: the slope must
# also exceed that of the matched random null, in size and in shape (docs/design.md "Verdict rules").

# A: "Profile steepness increases with the training-free distance between pretraining and
# fine-tuning objectives"; rebuttal: "Training-free objective distance is the KL divergence between
# the pretrained output distribution and the target task distribution evaluated at initialization".
# Judged by the Spearman correlation over a model's objectives, per training seed, and the mean of
# those over seeds, tested by permuting the objectives. Ours: at least 4 objectives, since with 3
# points rho takes only the values ±1 and ±0.5.
MIN_OBJECTIVES = 4

# A (rebuttal): "width is the count of layers exceeding a fixed cosine-distance threshold" (its
# threshold, config.TAU, shapes the stored `width`). "Dominated by architecture" is judged by
# ours: the families are the units; the family's share of width variance minus the objective
# kind's, each a moment estimate less its chance level, has the hull of two 95% intervals over
# the families above 0 (claims.width_by_architecture).

# Ours (claims.local_vs_propagated, the stricter reading): the last block "learned" its change when
# its own local change Δ_L^local is at least this share of its change Δ_L (lower bound); below it
# (upper bound) the change there is mostly what flowed up from the blocks below.
LOCAL_SHARE_MIN = 0.5

# --------------------------------------------------------------------------- paper B
# B: "shallow layers exhibit higher sensitivity while deep layers consolidate task evidence".
# Ours: TP appears deep when the logit-lens accuracy first covers half of its rise
# (TP_l - TP_1 >= 1/2 (max TP - TP_1)) at normalised depth >= 0.5.
TP_ONSET_DEEP = 0.5
# B, abstract: "training shallow layers while freezing deep layers consistently outperforms
# full-parameter fine-tuning and the opposite allocation on both C-Eval and CMMLU benchmarks".
# Rule (claims.freeze_allocation): on the new domain's held-out loss, the seed-paired CIs of
# (first half - all blocks) and (first half - second half) both lie below 0. Ours: the reference
# trains all blocks with embeddings, final norm and head frozen, as every arm does, so that the
# arms differ only in which blocks train (bench/grid.py, FREEZE_ARMS); every arm runs at the rate
# chosen for it by one rule (bench/grid.py, FREEZE_LR_GRID).
FREEZE_ALLOCATION_EXPECTED = "train first half best"

# --------------------------------------------------------------------------- paper C
# The arms of paper C are those of paper B (bench/grid.py, FREEZE_ARMS): blocks only, each at
# its own chosen rate; the reference is all blocks trained. Trainable parameters and backward
# time against all blocks are reported beside every loss, never judged.
# C, "Key Findings": "While saving 40-60% of the backpropagation computation, the performance
# remains basically unaffected". Ours: k = L/2 layers trained, the count of paper B's halves.
SEMANTIC_K_FRAC = 0.5
# C, "Main Results": "Comparable to or exceeding full fine-tuning"; ablation "Randomly freeze the
# same number of layers: Unstable, average drop". Rule (claims.semantic_selection): the k layers of
# largest d_l lose at most 10% (ours) of the all-blocks arm's held-out improvement (non-inferiority:
# the interval's upper bound below it; "not within margin" when its lower bound reaches it), and
# their held-out loss minus a random k's lies below 0; else inconclusive.
SEMANTIC_MARGIN_FRAC = 0.10
# C, ablation: "Randomly freeze the same number of layers: Unstable". Rule
# (claims.random_spread): the variance of held-out loss over random draws of k layers (one draw
# per training seed) against its variance over the training seeds of the selected arm, by the
# ratio's F interval: above 1 "reproduced", below 1 "not reproduced", else inconclusive. Ours, the
# stricter reading: the draw's own variance exceeds the seed's, a ratio above this (the seed's
# variance taken as the same in both arms).
RANDOM_SPREAD_STRICT = 2.0
# C, ablation: "Freeze only low-deviation layers: Almost no loss". Ours, the stricter reading of
# claims.deviation_ablation: training the k highest-d_l layers (low-deviation layers frozen) loses
# at most this share of the all-blocks arm's held-out improvement (non-inferiority: CI upper bound
# below it), the margin of the selection's "comparable to full fine-tuning".
ABLATION_MARGIN_FRAC = SEMANTIC_MARGIN_FRAC
# C, "Key Findings": "High-deviation layers are concentrated in middle and latter layers". Rule
# (claims.deviation_location): fewer of the k layers of largest d_l in the first third of the
# stack (normalised depth < 1/3) than random placement puts there (stats.placement_test, p < 0.05).
# Ours, the stricter reading: none of them there, judged on their count's bootstrap CI over probe
# sequences (upper bound < 1).
DEVIATION_SHALLOW_BELOW = 1 / 3
# C, ablation: "Freeze only low-deviation layers: Almost no loss" and "Freeze only high-deviation
# layers: Significant drop". Rule (claims.deviation_ablation): the held-out loss of training the k
# lowest-d_l layers minus that of training the k highest, paired by seed: above 0 "reproduced",
# below 0 "reversed", else inconclusive; "almost no loss" is the stricter reading (ABLATION_MARGIN_FRAC).
# C, "Main Results": "Freeze first N layers: Slight drop" beside "Ours: Comparable to or exceeding
# full fine-tuning". Rule (claims.first_n_comparison): held-out loss of the k layers of largest
# d_l minus that of the last k (first N = L - k frozen), paired by seed: below 0 "selected
# better", above 0 "first N better", else inconclusive (no difference is not shown by an interval
# that contains 0).
FIRST_N_EXPECTED = "selected better"
# C, "Key Findings": "While saving 40-60% of the backpropagation computation, the performance
# remains basically unaffected". Rule (claims.compute_saved): the share of the blocks' backward
# computation the selected layers save against training every block, counted in block passes
# (claims.backward_passes), lies in this range.
COMPUTE_SAVED_RANGE = (0.40, 0.60)

# --------------------------------------------------------------------------- across papers (ours)
# A: change sits near the output; B: "train shallow, freeze deep"; C: "High-deviation layers are
# concentrated in middle and latter layers". Our hypothesis: A's and C's per-layer profiles agree,
# B's opposes both (signs of the pairwise Spearman correlations; CI above 0: +, below 0: -).
CROSS_EXPECTED = "A~B -, A~C +, B~C -"

# --------------------------------------------------------------------------- LoRA blog
# LoRA blog, "Why Lora is a Valid Proxy for full training": "Analyzing where LoRA applies its
# largest changes gives us a strong and valid insight into which layers would have been most
# modified during a full fine-tuning run." Rule (claims.lora_predicts_full): per training seed,
# the Spearman correlation over layers of a LoRA run's mean |ΔW| with that of the full fine-tune
# on the same data and seed; the mean over seeds with its t-interval over seeds: below 0
# "reversed"; above 0 and above what depth alone predicts "reproduced" (per seed ρ minus |ρ| of
# depth with the full fine-tune, t-interval over seeds; below it "depth predicts better"), else
# inconclusive. The pair judged, like with like: LoRA's effective update (α/r)·B·A against full
# fine-tuning's weight change on the same matrices (those LoRA adapts).
LORA_PRIMARY = "BA~dW_adapted"
# Ours, the strict reading: the raw A and B deltas (what the blog computed) must predict full
# fine-tuning's change on those matrices too; the effective update must predict the change of all
# of the layer's matrices (the blog's "layers ... most modified") and full fine-tuning's
# representational change Δ_l (a layer modified most should also change most in what it computes).
LORA_STRICT = ("BA~dW_adapted", "A~dW_adapted", "B~dW_adapted", "BA~dW", "BA~delta")
# LoRA blog: "when large pre-trained models are fully fine-tuned, the matrix representing the change
# in weights (ΔW = W_final - W_initial) tends to have a very low "intrinsic rank". This means the
# complex update ... can be effectively approximated without losing significant information."
# Rule (claims.delta_rank): per training seed, the mean over layers of erank(ΔW) / erank(Gaussian
# matrix of the same shapes) (metrics.delta_rank_stats); "reproduced" when its t-interval over seeds
# lies below this ratio, "not low rank" when it lies at or above it. Ours: "very low" is read as at
# most half the effective rank of a matrix with no structure; the blog gives no number.
LOW_RANK_RATIO = 0.5
# Ours, the strict reading, the blog's "approximated without losing significant information" at its
# own LoRA rank r (RunSpec.lora_r, 16): in every layer, every matrix's best rank-r approximation
# keeps this share of its ΔW's energy (dW_lost_r below 1 - LOW_RANK_KEEP for the worst matrix,
# t-interval over seeds). 90%: the share by which the stored dW_rank90 counts directions too.
LOW_RANK_KEEP = 0.9

# Ours, a secondary check of the blog's figures (claims.lora_locus): the per-layer mean |ΔW| profile
# of LoRA has the same shape across its domains and learning rates, "shape agrees" when the mean
# pairwise Spearman correlation of the runs' profiles (each run its own training seed) is > 0.
