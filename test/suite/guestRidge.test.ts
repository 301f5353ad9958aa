import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kFold } from '../../src/main/core/suite/data/splits';
import { fitModel } from '../../src/main/core/suite/models/families';
import type { SuiteData } from '../../src/main/core/suite/data/suiteData';
import { DEFAULT_ALPHAS } from '../../src/main/core/suite/models/ridge';
import { pythonHas, runPython } from '../helpers/python';
import { synthetic } from './synthetic';
import { SKLEARN_PRELUDE } from './sklearnPrelude';

/**
 * Guest-aware Ridge against pandas + sklearn: guest means from the training rows only
 * (unseen → global mean), guestnorm = Ridge on y − mean then + mean, guestfeat = the mean as
 * a numeric feature, training rows getting out-of-fold means from the given inner folds.
 */
const PY =
  SKLEARN_PRELUDE +
  String.raw`
train, test, alphas = d['train'], d['test'], d['alphas']
emb = np.array(d['emb'])
df = pd.DataFrame({'duration': pd.array(d['duration'], dtype='float'), 'subs': pd.array(d['subs'], dtype='float'), 'language': d['language']})
df['language'] = df['language'].astype(object).where(df['language'].notna(), np.nan)
for j in range(emb.shape[1]): df[f'e{j}'] = emb[:, j]
y = np.array(d['y']); g = pd.Series(d['guests'])
def means(rows):
    s = pd.DataFrame({'g': g[rows].values, 'y': y[rows]})
    return s.groupby('g')['y'].mean().to_dict(), y[rows].mean()
def lookup(m, glob, rows): return np.array([m.get(g[r], glob) for r in rows])
def model(extra):
    num = ['duration', 'subs'] + extra
    pre = ColumnTransformer([
      ('num', Pipeline([('imp', SimpleImputer(strategy='median')), ('sc', StandardScaler())]), num),
      ('cat', Pipeline([('imp', SimpleImputer(strategy='constant', fill_value='__missing__')), ('oh', OneHotEncoder(handle_unknown='ignore'))]), ['language']),
      ('emb', 'passthrough', [f'e{j}' for j in range(emb.shape[1])])])
    return GridSearchCV(Pipeline([('pre', pre), ('ridge', Ridge())]), {'ridge__alpha': alphas}, cv=KFold(5), scoring='neg_mean_squared_error')
m, glob = means(train)
gs = model([]); gs.fit(df.iloc[train], y[train] - lookup(m, glob, train))
norm = gs.predict(df.iloc[test]) + lookup(m, glob, test)
oof = np.full(len(y), np.nan)
for fold in d['inner']:
    fm, fg = means([train[i] for i in fold['train']])
    for i in fold['test']: oof[train[i]] = fm.get(g[train[i]], fg)
df2 = df.copy(); df2['gm'] = oof
gs2 = model(['gm']); gs2.fit(df2.iloc[train], y[train])
df3 = df.copy(); df3['gm'] = np.nan; df3.loc[test, 'gm'] = lookup(m, glob, test)
feat = gs2.predict(df3.iloc[test])
print(json.dumps({'norm': list(norm), 'feat': list(feat)}))
`;

describe('guest-aware Ridge', () => {
  it.skipIf(!pythonHas('sklearn', 'pandas'))(
    'guestnorm and guestfeat equal pandas + sklearn, with unseen guests at the global mean',
    async () => {
      const s = synthetic(120, 5, 11, 0.8);
      const train = Array.from({ length: 90 }, (_, i) => i);
      const test = Array.from({ length: 30 }, (_, i) => 90 + i);
      // Guests only in the test rows: they must fall back to the global mean.
      s.guests[100] = 'never_seen_a';
      s.guests[110] = 'never_seen_b';
      const data: SuiteData = {
        src: s.src,
        ids: s.ids,
        y: s.y,
        guests: s.guests,
        features: { numeric: ['duration', 'subs'], categorical: ['language'] },
      };
      const seed = 17;
      const norm = await (await fitModel('ridge_guestnorm', data, train, { seed })).predict(s.src, s.guests, test);
      const feat = await (await fitModel('ridge_guestfeat', data, train, { seed })).predict(s.src, s.guests, test);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guest-'));
      const file = path.join(dir, 'd.json');
      fs.writeFileSync(
        file,
        JSON.stringify({ ...s.json, guests: s.guests, train, test, alphas: DEFAULT_ALPHAS, inner: kFold(train.length, 5, seed) }),
      );
      const ref = JSON.parse(runPython(PY, [file]));
      norm.forEach((v, i) => expect(v).toBeCloseTo(ref.norm[i], 8));
      feat.forEach((v, i) => expect(v).toBeCloseTo(ref.feat[i], 8));
    },
    120_000,
  );
});
