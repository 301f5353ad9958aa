/**
 * The lab's way, written independently in Python: the spec's §3.1 flatten (with the issue's
 * flag fill), §3.2 types and coverage on the training rows (majority type for mixed keys),
 * sklearn's MinMaxScaler + SimpleImputer(mean) on numbers and booleans, one-hot columns
 * `<key>=<value>`, r of each column with the target, the top K by |r| (ties by column name),
 * then the model. Used by the tests and the benchmark as the reference for the TypeScript
 * pipeline. Defines `flatten_table(analyses)`, `Pipeline(rows, arrays, flags, train, ...)` with
 * `.transform(rows, arrays)` and `select(X, y, top, prune)`.
 */
export const SKLEARN_PREFERENCE_PY = String.raw`
import sys, json, re, time, numpy as np
from collections import Counter
from sklearn.preprocessing import MinMaxScaler
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, train_test_split

def sanitize(s):
    return re.sub(r'[^a-z0-9]', '_', s.lower())[:30]

def flatten(node, prefix, out, arrays, flags):
    for k, v in node.items():
        key = prefix + '.' + k if prefix else k
        if v is None:
            out[key] = None
        elif isinstance(v, list):
            out[key + '_count'] = len(v)
            out[key + '_empty'] = len(v) == 0
            if all(isinstance(e, str) for e in v):
                arrays.add(key)
                for e in v:
                    f = key + '_has_' + sanitize(e)
                    out[f] = True
                    flags.setdefault(f, key)
        elif isinstance(v, dict):
            flatten(v, key, out, arrays, flags)
        else:
            out[key] = v

def flatten_table(analyses):
    rows, arrays, flags = [], [], {}
    for a in analyses:
        out, arr = {}, set()
        flatten(a, '', out, arr, flags)
        rows.append(out); arrays.append(arr)
    for out, arr in zip(rows, arrays):
        for f, key in flags.items():
            if key in arr and f not in out:
                out[f] = False
    return rows, arrays, flags

def jtype(v):
    if isinstance(v, bool): return 'boolean'
    if isinstance(v, (int, float)): return 'number'
    if isinstance(v, str): return 'string'
    return None

def value(row, arr, key, flags):
    v = row.get(key)
    if v is None and key in flags and flags[key] in arr:
        return False
    return v

class Pipeline:
    def __init__(self, rows, arrays, flags, train, coverage=0.5, max_levels=20):
        self.flags = flags
        keys = sorted({k for i in train for k in rows[i]})
        self.cols = []          # (name, key, kind, level)
        n = len(train)
        for key in keys:
            vals = [value(rows[i], arrays[i], key, flags) for i in train]
            counts = Counter(jtype(v) for v in vals if v is not None)
            counts.pop(None, None)
            if not counts: continue
            used = sorted(['number', 'boolean', 'string'], key=lambda t: -counts[t])[0]
            if counts[used] / n < coverage: continue
            if used == 'string':
                levels = sorted({v for v in vals if jtype(v) == 'string'})
                if len(levels) > max_levels: continue
                for lv in levels: self.cols.append((key + '=' + lv, key, 'categorical', lv))
            else:
                self.cols.append((key, key, used, None))
        self.cols.sort(key=lambda c: c[0])
        self.num = [j for j, c in enumerate(self.cols) if c[2] != 'categorical']
        raw = self.raw(rows, arrays, train)
        self.scaler = MinMaxScaler().fit(raw[:, self.num])
        self.imputer = SimpleImputer(strategy='mean').fit(self.scaler.transform(raw[:, self.num]))
        self.names = [c[0] for c in self.cols]

    def raw(self, rows, arrays, idx):
        X = np.full((len(idx), len(self.cols)), np.nan)
        for a, i in enumerate(idx):
            for j, (name, key, kind, level) in enumerate(self.cols):
                v = value(rows[i], arrays[i], key, self.flags)
                if kind == 'categorical':
                    X[a, j] = 1.0 if (jtype(v) == 'string' and v == level) else 0.0
                elif jtype(v) == kind:
                    X[a, j] = float(v)
        return X

    def transform(self, rows, arrays, idx=None):
        idx = list(range(len(rows))) if idx is None else idx
        X = self.raw(rows, arrays, idx)
        if self.num:
            X[:, self.num] = self.imputer.transform(self.scaler.transform(X[:, self.num]))
        return X

def corr(x, y):
    if np.all(x == x[0]) or np.all(y == y[0]): return None
    xm, ym = x - x.mean(), y - y.mean()
    return float(np.clip(np.dot(xm, ym) / (np.sqrt(np.dot(xm, xm)) * np.sqrt(np.dot(ym, ym))), -1, 1))

def select(X, y, top, prune):
    cand = []
    for j in range(X.shape[1]):
        r = corr(X[:, j], y)
        if r is None or (prune is not None and abs(r) < prune): continue
        cand.append((-abs(r), j))
    cand.sort()
    return sorted(j for _, j in cand[:top])
`;
