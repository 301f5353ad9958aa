#include "xgboost_booster.h"

#ifdef FRAMELAB_HAVE_XGBOOST

#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <xgboost/c_api.h>

#include "js_model_common.h"

namespace framelab {

namespace {

// Every XGBoost call returns 0 or -1; on -1 the reason is in XGBGetLastError().
void xgbCheck(int rc, const char* call) {
  if (rc != 0) throw std::runtime_error(std::string("xgboost ") + call + ": " + XGBGetLastError());
}

// A dense float32 row-major matrix as an XGBoost DMatrix (NaN = missing), freed with its owner.
class XgbMatrix {
 public:
  XgbMatrix(const float* data, uint64_t n, uint64_t p) {
    xgbCheck(XGDMatrixCreateFromMat(data, n, p, std::numeric_limits<float>::quiet_NaN(), &handle_), "XGDMatrixCreateFromMat");
  }
  XgbMatrix(const XgbMatrix&) = delete;
  XgbMatrix& operator=(const XgbMatrix&) = delete;
  ~XgbMatrix() {
    if (handle_) XGDMatrixFree(handle_);
  }
  DMatrixHandle handle() const { return handle_; }
  void setLabels(const float* y, uint64_t n) { xgbCheck(XGDMatrixSetFloatInfo(handle_, "label", y, n), "XGDMatrixSetFloatInfo(label)"); }

 private:
  DMatrixHandle handle_ = nullptr;
};

Napi::Float32Array float32Field(const Napi::Object& o, const char* key, const std::string& what) {
  const Napi::Value v = o.Get(key);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw std::invalid_argument(what + ": " + key + " must be a Float32Array");
  }
  return v.As<Napi::Float32Array>();
}

int64_t positiveInteger(const Napi::Value& v, const std::string& what) {
  if (!v.IsNumber()) throw std::invalid_argument(what + " must be a number");
  const int64_t out = v.As<Napi::Number>().Int64Value();
  if (out <= 0) throw std::invalid_argument(what + " must be > 0");
  return out;
}

// { x: Float32Array (n×p), n, p, y: Float32Array (n) } → a labelled DMatrix.
std::unique_ptr<XgbMatrix> labelledMatrix(const Napi::Value& value, const std::string& what) {
  if (!value.IsObject()) throw std::invalid_argument(what + " must be { x, n, p, y }");
  const auto o = value.As<Napi::Object>();
  const auto x = float32Field(o, "x", what);
  const auto y = float32Field(o, "y", what);
  const int64_t n = positiveInteger(o.Get("n"), what + ".n");
  const int64_t p = positiveInteger(o.Get("p"), what + ".p");
  if (static_cast<int64_t>(x.ElementLength()) != n * p) throw std::invalid_argument(what + ": x holds " + std::to_string(x.ElementLength()) + " values, not n × p = " + std::to_string(n * p));
  if (static_cast<int64_t>(y.ElementLength()) != n) throw std::invalid_argument(what + ": y holds " + std::to_string(y.ElementLength()) + " values, not n = " + std::to_string(n));
  auto m = std::make_unique<XgbMatrix>(x.Data(), n, p);
  m->setLabels(y.Data(), n);
  return m;
}

class JsXgbBooster : public Napi::ObjectWrap<JsXgbBooster> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "XGBooster",
                       {
                           InstanceMethod<&JsXgbBooster::Update>("update"),
                           InstanceMethod<&JsXgbBooster::Evaluate>("evaluate"),
                           InstanceMethod<&JsXgbBooster::Predict>("predict"),
                           InstanceMethod<&JsXgbBooster::Contributions>("contributions"),
                           InstanceMethod<&JsXgbBooster::Save>("save"),
                           InstanceMethod<&JsXgbBooster::BoostedRounds>("boostedRounds"),
                           InstanceMethod<&JsXgbBooster::NumFeatures>("numFeatures"),
                           InstanceMethod<&JsXgbBooster::Dispose>("dispose"),
                       });
  }

  // new XGBooster({ params?: {name: string}, train?: {x,n,p,y}, valid?: {x,n,p,y}, model?: Uint8Array })
  // Params are set in key order, like python's Booster(params) does.
  explicit JsXgbBooster(const Napi::CallbackInfo& info) : Napi::ObjectWrap<JsXgbBooster>(info) {
    guard(info.Env(), [&] {
      const std::string what = "new XGBooster";
      if (info.Length() < 1 || !info[0].IsObject()) throw std::invalid_argument(what + "(options) needs an options object");
      const auto o = info[0].As<Napi::Object>();
      if (o.Has("train") && !o.Get("train").IsUndefined()) train_ = labelledMatrix(o.Get("train"), what + ": train");
      if (o.Has("valid") && !o.Get("valid").IsUndefined()) valid_ = labelledMatrix(o.Get("valid"), what + ": valid");
      std::vector<DMatrixHandle> cache;
      if (train_) cache.push_back(train_->handle());
      if (valid_) cache.push_back(valid_->handle());
      xgbCheck(XGBoosterCreate(cache.data(), cache.size(), &handle_), "XGBoosterCreate");
      const Napi::Value model = o.Get("model");
      if (!model.IsUndefined()) {
        if (!model.IsTypedArray() || model.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) throw std::invalid_argument(what + ": model must be a Uint8Array");
        const auto bytes = model.As<Napi::Uint8Array>();
        xgbCheck(XGBoosterLoadModelFromBuffer(handle_, bytes.Data(), bytes.ElementLength()), "XGBoosterLoadModelFromBuffer");
      }
      const Napi::Value params = o.Get("params");
      if (!params.IsUndefined()) {
        if (!params.IsObject()) throw std::invalid_argument(what + ": params must be an object of strings");
        const auto p = params.As<Napi::Object>();
        const auto keys = p.GetPropertyNames();
        for (uint32_t i = 0; i < keys.Length(); ++i) {
          const std::string key = keys.Get(i).As<Napi::String>().Utf8Value();
          const Napi::Value v = p.Get(key);
          if (!v.IsString()) throw std::invalid_argument(what + ": params." + key + " must be a string");
          xgbCheck(XGBoosterSetParam(handle_, key.c_str(), v.As<Napi::String>().Utf8Value().c_str()), ("XGBoosterSetParam(" + key + ")").c_str());
        }
      }
      return info.Env().Undefined();
    });
  }

  ~JsXgbBooster() override { release(); }

 private:
  void release() {
    if (handle_) XGBoosterFree(handle_);
    handle_ = nullptr;
    train_.reset();
    valid_.reset();
  }

  BoosterHandle live(const char* method) const {
    if (!handle_) throw std::logic_error(std::string("XGBooster.") + method + ": the booster was disposed");
    return handle_;
  }

  // update(iteration): one boosting round on the training matrix.
  Napi::Value Update(const Napi::CallbackInfo& info) {
    return guard(info.Env(), [&]() -> Napi::Value {
      const auto h = live("update");
      if (!train_) throw std::logic_error("XGBooster.update: the booster has no training matrix");
      const int iter = info[0].As<Napi::Number>().Int32Value();
      xgbCheck(XGBoosterUpdateOneIter(h, iter, train_->handle()), "XGBoosterUpdateOneIter");
      return info.Env().Undefined();
    });
  }

  // evaluate(iteration) → XGBoost's own line, e.g. "[3]\ttrain-rmse:0.512345\tvalid-rmse:0.601234"
  // (the text python's xgb.train parses for early stopping, so the same decisions follow).
  Napi::Value Evaluate(const Napi::CallbackInfo& info) {
    return guard(info.Env(), [&]() -> Napi::Value {
      const auto h = live("evaluate");
      std::vector<DMatrixHandle> mats;
      std::vector<const char*> names;
      if (train_) mats.push_back(train_->handle()), names.push_back("train");
      if (valid_) mats.push_back(valid_->handle()), names.push_back("valid");
      if (mats.empty()) throw std::logic_error("XGBooster.evaluate: the booster has no matrices to evaluate");
      const char* out = nullptr;
      xgbCheck(XGBoosterEvalOneIter(h, info[0].As<Napi::Number>().Int32Value(), mats.data(), names.data(), mats.size(), &out), "XGBoosterEvalOneIter");
      return Napi::String::New(info.Env(), out);
    });
  }

  // predict(x: Float32Array, n, p, iterationEnd = 0 (all rounds)) → Float32Array (n)
  Napi::Value Predict(const Napi::CallbackInfo& info) {
    return guard(info.Env(), [&]() -> Napi::Value { return predictAs(info, "predict", 0, 0); });
  }

  // contributions(x: Float32Array, n, p, iterationEnd = 0) → Float32Array (n × (p + 1)): TreeSHAP
  // values per feature and, last in each row, the bias (the model's expected output); a row's
  // values sum to its prediction (python's predict(pred_contribs=True)).
  Napi::Value Contributions(const Napi::CallbackInfo& info) {
    return guard(info.Env(), [&]() -> Napi::Value { return predictAs(info, "contributions", 2, 1); });
  }

  // XGBoosterPredictFromDMatrix with prediction `type` (0 value, 2 contributions) for
  // (x, n, p, iterationEnd?); `extraPerRow` values beyond p per row (0: one value per row).
  Napi::Value predictAs(const Napi::CallbackInfo& info, const char* method, int type, int extraPerRow) {
    const std::string name = std::string("XGBooster.") + method;
    const auto h = live(method);
    if (info.Length() < 3 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      throw std::invalid_argument(name + "(x: Float32Array, n, p, iterationEnd?)");
    }
    const auto x = info[0].As<Napi::Float32Array>();
    const int64_t n = positiveInteger(info[1], name + ": n");
    const int64_t p = positiveInteger(info[2], name + ": p");
    const int64_t end = info.Length() > 3 && info[3].IsNumber() ? info[3].As<Napi::Number>().Int64Value() : 0;
    if (static_cast<int64_t>(x.ElementLength()) != n * p) throw std::invalid_argument(name + ": x holds " + std::to_string(x.ElementLength()) + " values, not n × p = " + std::to_string(n * p));
    XgbMatrix m(x.Data(), n, p);
    const std::string config = R"({"type": )" + std::to_string(type) + R"(, "training": false, "iteration_begin": 0, "iteration_end": )" + std::to_string(end) + R"(, "strict_shape": false})";
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    xgbCheck(XGBoosterPredictFromDMatrix(h, m.handle(), config.c_str(), &shape, &dim, &result), "XGBoosterPredictFromDMatrix");
    bst_ulong size = 1;
    for (bst_ulong i = 0; i < dim; ++i) size *= shape[i];
    const int64_t expected = extraPerRow == 0 ? n : n * (p + extraPerRow);
    if (static_cast<int64_t>(size) != expected) {
      throw std::runtime_error(name + ": expected " + std::to_string(expected) + " values, got " + std::to_string(size) + (extraPerRow ? " (a multi-output model has one block per output)" : " (one value per row)"));
    }
    auto out = Napi::Float32Array::New(info.Env(), static_cast<size_t>(size));
    std::memcpy(out.Data(), result, static_cast<size_t>(size) * sizeof(float));
    return out;
  }

  // save(format: "ubj" | "json") → Uint8Array of the whole model (loadable by python's Booster too).
  Napi::Value Save(const Napi::CallbackInfo& info) {
    return guard(info.Env(), [&]() -> Napi::Value {
      const auto h = live("save");
      const std::string format = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "ubj";
      if (format != "ubj" && format != "json") throw std::invalid_argument("XGBooster.save: format must be \"ubj\" or \"json\"");
      const std::string config = R"({"format": ")" + format + R"("})";
      bst_ulong len = 0;
      const char* bytes = nullptr;
      xgbCheck(XGBoosterSaveModelToBuffer(h, config.c_str(), &len, &bytes), "XGBoosterSaveModelToBuffer");
      auto out = Napi::Uint8Array::New(info.Env(), static_cast<size_t>(len));
      std::memcpy(out.Data(), bytes, static_cast<size_t>(len));
      return out;
    });
  }

  Napi::Value BoostedRounds(const Napi::CallbackInfo& info) {
    return guard(info.Env(), [&]() -> Napi::Value {
      int rounds = 0;
      xgbCheck(XGBoosterBoostedRounds(live("boostedRounds"), &rounds), "XGBoosterBoostedRounds");
      return Napi::Number::New(info.Env(), rounds);
    });
  }

  Napi::Value NumFeatures(const Napi::CallbackInfo& info) {
    return guard(info.Env(), [&]() -> Napi::Value {
      bst_ulong features = 0;
      xgbCheck(XGBoosterGetNumFeature(live("numFeatures"), &features), "XGBoosterGetNumFeature");
      return Napi::Number::New(info.Env(), static_cast<double>(features));
    });
  }

  // dispose(): frees the booster and its matrices now rather than at garbage collection.
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    release();
    return info.Env().Undefined();
  }

  BoosterHandle handle_ = nullptr;
  std::unique_ptr<XgbMatrix> train_;
  std::unique_ptr<XgbMatrix> valid_;
};

Napi::Value XgbVersion(const Napi::CallbackInfo& info) {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return Napi::String::New(info.Env(), std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch));
}

}  // namespace

void registerXgboost(Napi::Env env, Napi::Object exports) {
  auto xgb = Napi::Object::New(env);
  xgb.Set("Booster", JsXgbBooster::Define(env));
  xgb.Set("version", Napi::Function::New<XgbVersion>(env, "version"));
  exports.Set("xgboost", xgb);
}

}  // namespace framelab

#else

namespace framelab {

void registerXgboost(Napi::Env, Napi::Object) {}

}  // namespace framelab

#endif
