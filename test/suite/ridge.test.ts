import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitRidgePipeline, predictRidgePipeline, DEFAULT_ALPHAS, useJsGram } from '../../src/main/core/suite/models/ridge';
import { pythonHas, runPython } from '../helpers/python';
import { synthetic } from './synthetic';
import { SKLEARN_PRELUDE } from './sklearnPrelude';

/** sklearn's own pipeline: the reference the TypeScript Ridge must match. */
const SKLEARN_RIDGE_PY =
  SKLEARN_PRELUDE +
  String.raw`
train, test, alphas = d['train'], d['test'], d['alphas']
emb = np.array(d['emb'])
df = pd.DataFrame({'duration': pd.array(d['duration'], dtype='float'), 'subs': pd.array(d['subs'], dtype='float'), 'language': d['language']})
df['language'] = df['language'].astype(object).where(df['language'].notna(), np.nan)
for j in range(emb.shape[1]): df[f'e{j}'] = emb[:, j]
y = np.array(d['y'])
pre = ColumnTransformer([
  ('num', Pipeline([('imp', SimpleImputer(strategy='median')), ('sc', StandardScaler())]), ['duration', 'subs']),
  ('cat', Pipeline([('imp', SimpleImputer(strategy='constant', fill_value='__missing__')), ('oh', OneHotEncoder(handle_unknown='ignore'))]), ['language']),
  ('emb', 'passthrough', [f'e{j}' for j in range(emb.shape[1])]),
])
pipe = Pipeline([('pre', pre), ('ridge', Ridge())])
gs = GridSearchCV(pipe, {'ridge__alpha': alphas}, cv=KFold(5), scoring='neg_mean_squared_error')
gs.fit(df.iloc[train], y[train])
print(json.dumps({'alpha': gs.best_params_['ridge__alpha'], 'mse': list(-gs.cv_results_['mean_test_score']), 'pred': list(gs.predict(df.iloc[test]))}))
`;

describe('Ridge inside the preprocessing pipeline', () => {
  it.skipIf(!pythonHas('sklearn', 'pandas'))(
    "chooses the same alpha and predicts the same values as sklearn GridSearchCV(Pipeline), with the addon's Gram and with the JS one",
    () => {
      for (const [n, d, seed, js] of [
        [90, 6, 1, false],
        [60, 80, 2, false],
        [90, 6, 1, true],
        [60, 80, 2, true],
      ] as const) {
        useJsGram(js);
        const s = synthetic(n, d, seed, 1.5);
        const train = Array.from({ length: Math.floor(n * 0.75) }, (_, i) => i);
        const test = Array.from({ length: n - train.length }, (_, i) => train.length + i);
        const model = fitRidgePipeline(s.src, train, s.y, { numeric: ['duration', 'subs'], categorical: ['language'] });
        const pred = predictRidgePipeline(model, s.src, test);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ridge-'));
        const file = path.join(dir, 'data.json');
        fs.writeFileSync(file, JSON.stringify({ ...s.json, train, test, alphas: DEFAULT_ALPHAS }));
        const ref = JSON.parse(runPython(SKLEARN_RIDGE_PY, [file]));
        expect(model.ridge.alpha).toBe(ref.alpha);
        model.cvMse.forEach((c, i) => expect(c.mse).toBeCloseTo(ref.mse[i], 9));
        pred.forEach((p, i) => expect(p).toBeCloseTo(ref.pred[i], 8));
      }
      useJsGram(false);
    },
    120_000,
  );
});
