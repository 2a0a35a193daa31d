"""Wordfish as govlens defines it, computed independently of src/stats/wordfish.rs
as a check of it (the Rust unit test pins the numbers this prints). Definitions:
../shared/docs/statistics.md.

    log lambda_ij = alpha_i + psi_j + beta_j * omega_i,  y_ij ~ Poisson(lambda_ij)

The estimate maximises the Poisson log-likelihood with a normal prior of sd 3 on
every beta_j (no prior on the others) under the identification mean(omega) = 0,
sd(omega) = 1 (sample sd) and alpha_1 = 0. govlens reaches it by alternating
conditional maximisation; here it is found in one go by scipy's BFGS over
unconstrained parameters: alpha_2..n, psi, beta, and z with omega = (z - mean z) / sd z.
The sign is fixed so that the first document lies left of the last.

The matrix is simulated (numpy seed 7): 8 documents at positions -1.5 .. 1.5, 12 words.

    /tmp/np/bin/python tests/reference/wordfish.py    (any Python with numpy, scipy)
"""
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

rng = np.random.default_rng(7)
n, m = 8, 12
true_omega = np.linspace(-1.5, 1.5, n)
true_beta = rng.normal(0, 1, m)
true_psi = rng.normal(1.5, 0.5, m)
true_alpha = rng.normal(0, 0.3, n)
Y = rng.poisson(np.exp(true_alpha[:, None] + true_psi[None, :] + np.outer(true_omega, true_beta)))
Y = Y.astype(float)

PRECISION = 1.0 / 9.0


def unpack(x):
    alpha = np.concatenate([[0.0], x[: n - 1]])
    z = x[n - 1 : 2 * n - 1]
    psi = x[2 * n - 1 : 2 * n - 1 + m]
    beta = x[2 * n - 1 + m :]
    s = z.std(ddof=1)
    return alpha, (z - z.mean()) / s, psi, beta, s


def negative_posterior(x):
    alpha, omega, psi, beta, s = unpack(x)
    eta = alpha[:, None] + psi[None, :] + np.outer(omega, beta)
    lam = np.exp(eta)
    f = np.sum(Y * eta - lam) - PRECISION * np.sum(beta ** 2) / 2
    r = Y - lam
    g_alpha = r.sum(axis=1)[1:]
    g_psi = r.sum(axis=0)
    g_beta = r.T @ omega - PRECISION * beta
    g_omega = r @ beta
    # omega = (z - mean z) / sd z: the chain rule through the standardisation.
    g_z = (g_omega - g_omega.mean()) / s - omega * (g_omega @ omega) / ((n - 1) * s)
    return -f, -np.concatenate([g_alpha, g_z, g_psi, g_beta])


def fit(Y):
    # Start: the Rust code's start values are not needed; any reasonable point is.
    psi0 = np.log(Y.mean(axis=0))
    alpha0 = np.log(Y.sum(axis=1) / Y[0].sum())
    R = np.log(Y + 1) - alpha0[:, None] - psi0[None, :]
    U, sv, Vt = np.linalg.svd(R, full_matrices=False)
    x0 = np.concatenate([alpha0[1:], U[:, 0], psi0, sv[0] * Vt[0] * U[:, 0].std(ddof=1)])
    res = minimize(negative_posterior, x0, jac=True, method="BFGS",
                   options={"gtol": 1e-11, "maxiter": 100000})
    alpha, omega, psi, beta, _ = unpack(res.x)
    if omega[0] > omega[-1]:
        omega, beta = -omega, -beta
    eta = alpha[:, None] + psi[None, :] + np.outer(omega, beta)
    ll = np.sum(Y * eta - np.exp(eta) - gammaln(Y + 1))
    return alpha, omega, psi, beta, ll, res


alpha, omega, psi, beta, ll, res = fit(Y)
print("Y", [[int(v) for v in row] for row in Y])
print("optimiser", res.message, "gradient max", float(np.abs(res.jac).max()))
print("log_likelihood", float(ll))
print("omega", [float(v) for v in omega])
print("alpha", [float(v) for v in alpha])
print("beta", [float(v) for v in beta])
print("psi", [float(v) for v in psi])
print("corr(omega, true omega)", float(np.corrcoef(omega, true_omega)[0, 1]))
