// XGBoost (C API, Debian libxgboost-dev) for the suite's gradient-boosting model: a Booster
// class whose calls are synchronous and short (one boosting round, one evaluation, one
// prediction), so JavaScript drives the round loop, early stopping and cancellation. The suite
// trains inside job processes, never on the UI's thread, so synchronous calls block nothing
// a user sees. Compiled only when CMake finds XGBoost (FRAMELAB_HAVE_XGBOOST); otherwise the
// addon has no `xgboost` export and JavaScript reports how to get it.
#pragma once

#include <napi.h>

namespace framelab {

// Sets exports.xgboost = { Booster, version() } when built with XGBoost; otherwise nothing.
void registerXgboost(Napi::Env env, Napi::Object exports);

}  // namespace framelab
