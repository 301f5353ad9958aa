// Heavy calls as Promises: the work runs on the libuv threadpool (Napi::AsyncWorker) so the
// JavaScript event loop stays free; one operation at a time per model.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <napi.h>

namespace framelab {

// Builds the JavaScript result on the main thread from what the worker computed.
using ToJs = std::function<Napi::Value(Napi::Env)>;
// Runs on a worker thread; must not touch JavaScript values.
using Work = std::function<ToJs()>;

// Which operation a model is running, if any. Main thread only.
class TaskSlot {
 public:
  bool busy() const { return !running_.empty(); }
  const std::string& running() const { return running_; }
  void acquire(const std::string& operation) { running_ = operation; }
  void release() { running_.clear(); }
  // "<operation>: busy, <running> is still running; …" or empty when free.
  std::string busyMessage(const std::string& operation) const;
  // For synchronous methods: throws the busy message.
  void throwIfBusy(const std::string& operation) const;

 private:
  std::string running_;
};

// A JavaScript Error with a `code` property ("BUSY", "CANCELLED", …; empty: none).
Napi::Error makeError(Napi::Env env, const std::string& message, const std::string& code = "");

// Runs `prepare` now on the main thread (read arguments, copy inputs), then the Work it returns on
// the threadpool. Resolves with the Work's result; every failure (busy model, bad arguments,
// C++ or LibTorch error, cancellation) rejects the returned Promise with a readable Error.
// `owner` (the model object) stays alive until the task settles.
Napi::Value startTask(const Napi::CallbackInfo& info, const std::shared_ptr<TaskSlot>& slot, const std::string& operation,
                      const std::function<Work()>& prepare);

}  // namespace framelab
