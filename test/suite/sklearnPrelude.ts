/** The start of every sklearn oracle script in these tests: the pipeline pieces and the JSON input (argv[1]). */
export const SKLEARN_PRELUDE = String.raw`
import sys, json, numpy as np, pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold
d = json.load(open(sys.argv[1]))
`;
