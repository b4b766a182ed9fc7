"""Reference values for DeLongTest: DeLong's test written directly from the 1988 paper's
U-statistic definitions (psi over every positive/negative pair, structural components,
covariance matrix with ddof=1), numpy and scipy only. Run: python3 delong_reference.py"""
import numpy as np
from scipy.stats import norm

labels = np.array([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
a = np.array([0.9, 0.8, 0.7, 0.55, 0.4, 0.6, 0.3, 0.2, 0.6, 0.1, 0.5, 0.35, 0.45])
b = np.array([0.7, 0.9, 0.3, 0.5, 0.5, 0.2, 0.4, 0.1, 0.65, 0.5, 0.2, 0.6, 0.3])


def psi(x, y):
    return 1.0 if x > y else 0.5 if x == y else 0.0


def components(s):
    pos, neg = s[labels == 1], s[labels == 0]
    v10 = np.array([np.mean([psi(x, y) for y in neg]) for x in pos])
    v01 = np.array([np.mean([psi(x, y) for x in pos]) for y in neg])
    return v10, v01


(a10, a01), (b10, b01) = components(a), components(b)
s10 = np.cov(np.vstack([a10, b10]))
s01 = np.cov(np.vstack([a01, b01]))
m, n = len(a10), len(a01)
cov = s10 / m + s01 / n
d = a10.mean() - b10.mean()
var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
se = np.sqrt(var)
z = d / se
print(f"aucA={a10.mean():.15g} aucB={b10.mean():.15g} varA={cov[0,0]:.15g} diff={d:.15g} se={se:.15g} z={z:.15g} "
      f"p={2 * norm.sf(abs(z)):.15g} low={d - norm.ppf(0.975) * se:.15g} high={d + norm.ppf(0.975) * se:.15g}")
for x in (0.1, 0.5, 1.0, 1.96, 3.0, 4.5, 6.0):
    print(f"p({x})={2 * norm.sf(x):.15g}")
