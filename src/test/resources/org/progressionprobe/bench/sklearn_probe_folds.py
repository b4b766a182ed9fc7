#!/usr/bin/python3
"""scikit-learn's probe (the protocol of shared/bench/sklearn_probe.py) on GIVEN folds, to compare with
Progression Probe on identical splits. Usage: sklearn_probe_folds.py FEATURES.csv FOLDS.csv OUT.csv [--C 1.0]
FOLDS.csv: a 'fold' column, one row per feature row. OUT.csv gets each row's out-of-fold probability.
Prints mean AUC and F1 over folds, the pooled AUC and the seconds spent fitting."""
import argparse, time, numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
ap = argparse.ArgumentParser(); ap.add_argument("csv"); ap.add_argument("folds"); ap.add_argument("out")
ap.add_argument("--label", default="label"); ap.add_argument("--group", default="subject"); ap.add_argument("--C", type=float, default=1.0)
a = ap.parse_args(); df = pd.read_csv(a.csv); fold = pd.read_csv(a.folds)["fold"].values
y = df[a.label].astype(int).values
X = df.drop(columns=[a.label, a.group]).select_dtypes("number").values
p = np.zeros(len(y)); aucs, f1s, fit_s = [], [], 0.0
for f in np.unique(fold):
    tr, te = fold != f, fold == f
    m = make_pipeline(StandardScaler(), LogisticRegression(C=a.C, class_weight="balanced", max_iter=5000))
    t = time.perf_counter(); m.fit(X[tr], y[tr]); fit_s += time.perf_counter() - t
    p[te] = m.predict_proba(X[te])[:, 1]; aucs.append(roc_auc_score(y[te], p[te])); f1s.append(f1_score(y[te], p[te] >= 0.5))
pd.DataFrame({"probability": p}).to_csv(a.out, index=False)
print(f"sklearn-same-folds folds={len(np.unique(fold))} auc={np.mean(aucs):.4f} f1={np.mean(f1s):.4f} pooled_auc={roc_auc_score(y, p):.4f} fit_s={fit_s:.4f}")
