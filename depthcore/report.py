"""Reports: the verdict table (terminal and HTML), depth-profile figures and the slope forest plot."""

from __future__ import annotations

VERDICT_COLUMNS = ("claim", "tier", "model", "objective", "optimizer", "verdict", "control_strength", "numbers")


def verdict_table(rows: list[dict]) -> str:
    """Plain-text table, one row per claim x tier x model (x objective x optimizer)."""

    def cell(row, col):
        v = row.get(col, "")
        return f"{v:.3g}" if isinstance(v, float) else str(v)

    cols = [c for c in VERDICT_COLUMNS if any(c in r for r in rows)]
    rows = sorted(rows, key=lambda r: tuple(cell(r, c) for c in cols[:5]))
    table = [cols] + [[cell(r, c) for c in cols] for r in rows]
    widths = [max(len(t[i]) for t in table) for i in range(len(cols))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(t, widths)).rstrip() for t in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def layer_ci(per_seq, n_boot: int = 1000, seed: int = 0, ci: float = 0.95):
    """Percentile-bootstrap band of the mean over sequences, per layer ([N, L] -> lo[L], hi[L])."""
    import numpy as np

    per_seq = np.asarray(per_seq)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, per_seq.shape[0], size=(n_boot, per_seq.shape[0]))
    means = per_seq[idx].mean(1)
    a = (1 - ci) / 2
    return np.quantile(means, a, axis=0), np.quantile(means, 1 - a, axis=0)


def plot_profile(ds, path, title: str | None = None):
    """One run's depth profile: Δ_l, local Δ_l and the null Δ_l vs normalised depth, 95% bands."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
    depth = ds["depth"].values
    for var, label, color in (("rep_change_cos", "end-to-end Δ_l", "C0"), ("rep_change_local", "local Δ_l", "C2"),
                              ("null_rep_change_cos", "matched random null", "C7")):
        seq = ds[var + "_seq"].values
        lo, hi = layer_ci(seq)
        ax.plot(depth, seq.mean(0), marker="o", color=color, label=label)
        ax.fill_between(depth, lo, hi, color=color, alpha=0.2)
    ax.set_xlabel("normalised depth (l-1)/(L-1)")
    ax.set_ylabel("representational change 1 - cos (mean over probe tokens)")
    ax.set_title(title or ds.attrs.get("label", ""), fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return fig
