"""Linear CKA of one set of representations: the reference the tests hold `metrics.MinibatchCKA` to.

Not part of depthcore: a profile's CKA is `MinibatchCKA`, accumulated over probe batches
(docs/design.md "Representational change"). Here one [n, d] matrix per side gives the CKA
of a single batch, with the unbiased estimator through depthcore's own HSIC_1 code
(`metrics._hsic1_linear_triplet`, both of its code paths) or the biased one (HSIC_0), so
tests can check the estimator's properties (invariances, ~0 for independent data) and
compare both against the Gram-matrix formulas (`metrics.hsic_unbiased`, `hsic_biased`).
"""

from __future__ import annotations

import torch

from depthcore.metrics import _as_tensor, _check_features, _check_gram, _cka_ratio, _hsic1_linear_triplet


def hsic_biased(K: torch.Tensor, L: torch.Tensor) -> torch.Tensor:
    """Biased HSIC estimator HSIC_0 = tr(K H L H) / (n-1)^2 (float64).

    Gretton, Bousquet, Smola & Schoelkopf 2005, "Measuring statistical dependence with
    Hilbert-Schmidt norms"; the estimator of standard linear CKA (Kornblith, Norouzi, Lee
    & Hinton 2019, "Similarity of neural network representations revisited", eq. 3).
    H = I - 11'/n is the centering matrix.

    Args:
        K: Gram matrix [n, n].
        L: Gram matrix [n, n].

    Returns:
        0-dim float64 tensor.

    Raises:
        ValueError: If n < 2.
    """
    K, L = _as_tensor(K).to(torch.float64), _as_tensor(L).to(torch.float64)
    n = _check_gram(K, L, "hsic_biased")
    if n < 2:
        raise ValueError(f"hsic_biased: needs n >= 2 rows, got n={n}")
    Kc = K - K.mean(dim=0, keepdim=True) - K.mean(dim=1, keepdim=True) + K.mean()
    Lc = L - L.mean(dim=0, keepdim=True) - L.mean(dim=1, keepdim=True) + L.mean()
    return (Kc * Lc).sum() / (n - 1) ** 2


def linear_cka(X, Y, unbiased: bool = True) -> float:
    """Linear CKA between two representations of the same n examples.

    Kornblith, Norouzi, Lee & Hinton 2019 ("Similarity of neural network representations
    revisited") define CKA(K, L) = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)) with K = X X^T,
    L = Y Y^T. `unbiased=False` is their standard estimator with centered Gram matrices
    (HSIC_0, `hsic_biased`): it equals ||Yc'Xc||_F^2 / (||Xc'Xc||_F ||Yc'Yc||_F) and is
    biased upwards when d is not small against n. `unbiased=True` uses the U-statistic
    HSIC_1 of Song et al. 2012 (`hsic_unbiased`, Gram diagonals zeroed), as Nguyen,
    Raghu & Kornblith 2021 do; it is ~0 for independent representations and can be
    slightly negative. docs/design.md "Representational change" uses 1 - CKA as a distance.

    Args:
        X: [n, d1] torch tensor or numpy array (rows are examples/tokens).
        Y: [n, d2], same n, row i the same example as in X.
        unbiased: HSIC_1 (default) or HSIC_0.

    Returns:
        CKA as a Python float; 1 for X == Y, invariant to orthogonal transforms and
        isotropic scaling of either side.

    Raises:
        ValueError: On shape mismatch, n < 4 for the unbiased estimator (n < 2 biased), or
            a representation whose rows are all identical (CKA undefined).
    """
    X, Y = _check_features(X, Y, "linear_cka")
    if unbiased:
        hxy, hxx, hyy = _hsic1_linear_triplet(X, Y).tolist()
    else:
        if X.shape[0] < 2:
            raise ValueError(f"linear_cka: needs n >= 2 rows, got n={X.shape[0]}")
        # Feature-space form of HSIC_0 (the (n-1)^2 factors cancel in the ratio).
        X = X - X.mean(dim=0, keepdim=True)
        Y = Y - Y.mean(dim=0, keepdim=True)
        hxy = float((X.T @ Y).pow(2).sum())
        hxx = float((X.T @ X).pow(2).sum())
        hyy = float((Y.T @ Y).pow(2).sum())
    return _cka_ratio(hxy, hxx, hyy, "linear_cka")
