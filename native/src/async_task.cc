#include "async_task.h"

#include <stdexcept>

#include "errors.h"

namespace framelab {

namespace {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const Napi::Object& owner, std::shared_ptr<TaskSlot> slot, Work work)
      : Napi::AsyncWorker(env, "framelab:native-task"),
        deferred_(Napi::Promise::Deferred::New(env)),
        owner_(Napi::Persistent(owner)),
        slot_(std::move(slot)),
        work_(std::move(work)) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      toJs_ = work_();
    } catch (const Cancelled&) {
      cancelled_ = true;
      SetError(currentExceptionMessage());
    } catch (...) {
      SetError(currentExceptionMessage());
    }
  }

  void OnOK() override {
    slot_->release();
    try {
      deferred_.Resolve(toJs_(Env()));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    } catch (...) {
      deferred_.Reject(makeError(Env(), currentExceptionMessage()).Value());
    }
  }

  void OnError(const Napi::Error& error) override {
    slot_->release();
    Napi::Object value = error.Value();
    if (cancelled_) value.Set("code", "CANCELLED");
    deferred_.Reject(value);
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference owner_;
  std::shared_ptr<TaskSlot> slot_;
  Work work_;
  ToJs toJs_;
  bool cancelled_ = false;
};

Napi::Value rejected(Napi::Env env, const Napi::Error& error) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(error.Value());
  return deferred.Promise();
}

}  // namespace

std::string TaskSlot::busyMessage(const std::string& operation) const {
  if (!busy()) return "";
  return operation + ": busy, " + running_ +
         " is still running on this model (one operation at a time per model: await the previous call first)";
}

void TaskSlot::throwIfBusy(const std::string& operation) const {
  if (busy()) throw std::logic_error(busyMessage(operation));
}

Napi::Error makeError(Napi::Env env, const std::string& message, const std::string& code) {
  Napi::Error error = Napi::Error::New(env, message);
  if (!code.empty()) error.Value().Set("code", code);
  return error;
}

Napi::Value startTask(const Napi::CallbackInfo& info, const std::shared_ptr<TaskSlot>& slot, const std::string& operation,
                      const std::function<Work()>& prepare) {
  const Napi::Env env = info.Env();
  if (slot->busy()) return rejected(env, makeError(env, slot->busyMessage(operation), "BUSY"));
  Work work;
  try {
    work = prepare();
  } catch (const Napi::Error& e) {
    return rejected(env, e);
  } catch (...) {
    return rejected(env, makeError(env, currentExceptionMessage()));
  }
  auto* worker = new PromiseWorker(env, info.This().As<Napi::Object>(), slot, std::move(work));
  const Napi::Promise promise = worker->promise();
  slot->acquire(operation);
  worker->Queue();
  return promise;
}

}  // namespace framelab
