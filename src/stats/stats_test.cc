#include <gtest/gtest.h>

#include "stats/stats.h"

namespace shumao::stats {
namespace {

TEST(ClearanceBucketTest, KeepsTwoSignificantDigitsRoundedDown) {
  EXPECT_EQ(ClearanceBucket(-5), 0);
  EXPECT_EQ(ClearanceBucket(59), 59);
  EXPECT_EQ(ClearanceBucket(99), 99);
  EXPECT_EQ(ClearanceBucket(100), 100);
  EXPECT_EQ(ClearanceBucket(1234), 1200);
  EXPECT_EQ(ClearanceBucket(86399), 86000);
}

}  // namespace
}  // namespace shumao::stats
