#include "common/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace shumao {
namespace {

TEST(Status, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Status, CarriesCodeMessageAndField) {
  Status s = InvalidArgument("must be 18 characters", "Order[1].OrderHead.orderNo");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "must be 18 characters");
  EXPECT_EQ(s.field(), "Order[1].OrderHead.orderNo");
  EXPECT_EQ(s.ToString(), "InvalidArgument: must be 18 characters [Order[1].OrderHead.orderNo]");
  EXPECT_EQ(NotFound("no order").ToString(), "NotFound: no order");
  EXPECT_EQ(Internal("x").code(), Code::kInternal);
  EXPECT_EQ(Unavailable("db down").code(), Code::kUnavailable);
}

TEST(Status, CodeNames) {
  EXPECT_EQ(CodeName(Code::kOk), "OK");
  EXPECT_EQ(CodeName(Code::kInvalidArgument), "InvalidArgument");
  EXPECT_EQ(CodeName(Code::kUnsupportedMedia), "UnsupportedMediaType");
  EXPECT_EQ(CodeName(Code::kTooLarge), "TooLarge");
  EXPECT_EQ(CodeName(Code::kUnauthenticated), "Unauthenticated");
  EXPECT_EQ(CodeName(Code::kPermissionDenied), "PermissionDenied");
  EXPECT_EQ(CodeName(Code::kNotFound), "NotFound");
  EXPECT_EQ(CodeName(Code::kAlreadyExists), "AlreadyExists");
  EXPECT_EQ(CodeName(Code::kFailedPrecondition), "FailedPrecondition");
  EXPECT_EQ(CodeName(Code::kResourceExhausted), "ResourceExhausted");
  EXPECT_EQ(CodeName(Code::kUnavailable), "Unavailable");
  EXPECT_EQ(CodeName(Code::kInternal), "Internal");
}

TEST(StatusOr, HoldsAValue) {
  StatusOr<std::string> s = std::string("abc");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "abc");
  EXPECT_EQ(s->size(), 3u);
  EXPECT_TRUE(s.status().ok());
}

TEST(StatusOr, HoldsAnError) {
  StatusOr<std::string> e = NotFound("gone");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Code::kNotFound);
  EXPECT_EQ(e.status().message(), "gone");
}

TEST(StatusOr, MoveOnlyValue) {
  StatusOr<std::unique_ptr<int>> p = std::make_unique<int>(7);
  ASSERT_TRUE(p.ok());
  std::unique_ptr<int> taken = std::move(p).value();
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, 7);
}

StatusOr<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd", "x");
  return x / 2;
}

Status CheckEven(int x) {
  if (x % 2) return InvalidArgument("odd");
  return Status::Ok();
}

StatusOr<int> Quarter(int x, int* steps) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ++*steps;
  ASSIGN_OR_RETURN(int q, Half(h));
  ++*steps;
  return q;
}

Status BothEven(int a, int b, int* steps) {
  RETURN_IF_ERROR(CheckEven(a));
  ++*steps;
  RETURN_IF_ERROR(CheckEven(b));
  ++*steps;
  return Status::Ok();
}

TEST(StatusMacros, AssignOrReturn) {
  int steps = 0;
  StatusOr<int> q = Quarter(12, &steps);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, 3);
  EXPECT_EQ(steps, 2);

  steps = 0;
  StatusOr<int> odd = Quarter(6, &steps);  // 6 -> 3 -> odd
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().field(), "x");
  EXPECT_EQ(steps, 1);  // stopped at the second step

  steps = 0;
  EXPECT_FALSE(Quarter(5, &steps).ok());
  EXPECT_EQ(steps, 0);
}

TEST(StatusMacros, ReturnIfError) {
  int steps = 0;
  EXPECT_TRUE(BothEven(2, 4, &steps).ok());
  EXPECT_EQ(steps, 2);
  steps = 0;
  Status s = BothEven(2, 3, &steps);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(steps, 1);
  steps = 0;
  EXPECT_FALSE(BothEven(1, 2, &steps).ok());
  EXPECT_EQ(steps, 0);
}

}  // namespace
}  // namespace shumao
