// The hook spool: records appended with bragd away are filed in order, once;
// a record that can never be filed is set aside with its reason, and one that
// cannot be filed now stays, with all that follows it.
#include "spool/spool.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace brag::spool {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Filed {
  std::vector<std::string> methods;
  std::vector<json> params;
};

ApplyFn Recorder(Filed& filed, Applied answer = Applied::kDone) {
  return [&filed, answer](const std::string& method, const json& params, std::string* why) {
    filed.methods.push_back(method);
    filed.params.push_back(params);
    if (answer != Applied::kDone) *why = "refused by the test";
    return answer;
  };
}

TEST_CASE("spool paths sit beside the journal") {
  CHECK(SpoolPath("/d/journal.db") == fs::path("/d/journal.db.spool"));
  CHECK(RejectedPath("/d/journal.db") == fs::path("/d/journal.db.spool.rejected"));
}

TEST_CASE("appended records are filed in order, once, and the spool is emptied") {
  test::TempDir t("spool");
  fs::path journal = t / "data" / "journal.db";  // its folder does not exist yet
  fs::path spool = SpoolPath(journal);
  CHECK_FALSE(HasRecords(spool));
  REQUIRE(Append(spool, "commit.record", {{"oid", "a1"}}, 100).has_value());
  REQUIRE(Append(spool, "commit.rewrite",
                 {{"moves", json::array({json::array({"a1", "b2"})})}}, 101)
              .has_value());
  CHECK(HasRecords(spool));
  CHECK((fs::status(spool).permissions() & fs::perms::group_read) == fs::perms::none);

  Filed filed;
  Result<DrainReport> r = Drain(spool, RejectedPath(journal), Recorder(filed));
  REQUIRE(r.has_value());
  CHECK(r->done == 2);
  CHECK(r->rejected == 0);
  CHECK(r->left == 0);
  CHECK(filed.methods == std::vector<std::string>{"commit.record", "commit.rewrite"});
  CHECK(filed.params[0]["oid"] == "a1");
  CHECK(filed.params[1]["moves"][0][1] == "b2");
  CHECK_FALSE(HasRecords(spool));

  Filed again;
  r = Drain(spool, RejectedPath(journal), Recorder(again));
  REQUIRE(r.has_value());
  CHECK(r->done == 0);
  CHECK(again.methods.empty());
}

TEST_CASE("an append left to bragd is not fsynced; Sync makes it durable") {
  test::TempDir t("spool");
  fs::path spool = SpoolPath(t / "journal.db");
  CHECK(Sync(spool).has_value());  // nothing there yet: nothing to do
  REQUIRE(Append(spool, "commit.record", {{"oid", "a1"}}, 100, /*sync=*/false).has_value());
  CHECK(HasRecords(spool));
  CHECK(Sync(spool).has_value());
  CHECK(Read(spool).find(R"("oid":"a1")") != std::string::npos);
}

TEST_CASE("a missing spool drains nothing") {
  test::TempDir t("spool");
  Filed filed;
  Result<DrainReport> r = Drain(t / "none.spool", t / "none.rejected", Recorder(filed));
  REQUIRE(r.has_value());
  CHECK(r->done + r->rejected + r->left == 0);
}

TEST_CASE("what can never be filed is set aside with its reason; nothing is dropped") {
  test::TempDir t("spool");
  fs::path journal = t / "journal.db";
  fs::path spool = SpoolPath(journal);
  REQUIRE(Append(spool, "commit.record", {{"oid", "a1"}}, 100).has_value());
  {
    std::ofstream out(spool, std::ios::app);
    out << "this is not json\n";
  }
  Filed filed;
  Result<DrainReport> r = Drain(spool, RejectedPath(journal), Recorder(filed, Applied::kRejected));
  REQUIRE(r.has_value());
  CHECK(r->rejected == 2);
  CHECK(filed.methods.size() == 1);  // the line that is not JSON never reaches apply
  std::string rejected = Read(RejectedPath(journal));
  CHECK(rejected.find("refused by the test") != std::string::npos);
  CHECK(rejected.find("this is not json") != std::string::npos);
  CHECK(rejected.find("not a spool record") != std::string::npos);
  CHECK_FALSE(HasRecords(spool));
}

TEST_CASE("a record that cannot be filed now stays, with everything after it") {
  test::TempDir t("spool");
  fs::path journal = t / "journal.db";
  fs::path spool = SpoolPath(journal);
  for (const char* oid : {"a1", "b2", "c3"}) {
    REQUIRE(Append(spool, "commit.record", {{"oid", oid}}, 100).has_value());
  }
  int calls = 0;
  auto second_fails = [&calls](const std::string&, const json&, std::string* why) {
    *why = "journal busy";
    return ++calls == 2 ? Applied::kRetry : Applied::kDone;
  };
  Result<DrainReport> r = Drain(spool, RejectedPath(journal), second_fails);
  REQUIRE(r.has_value());
  CHECK(r->done == 1);
  CHECK(r->left == 2);
  CHECK(calls == 2);  // c3 is not tried before b2

  // Appends after such a drain go to the new file and are filed next time.
  REQUIRE(Append(spool, "commit.record", {{"oid", "d4"}}, 101).has_value());
  Filed filed;
  r = Drain(spool, RejectedPath(journal), Recorder(filed));
  REQUIRE(r.has_value());
  REQUIRE(filed.params.size() == 3);
  CHECK(filed.params[0]["oid"] == "b2");
  CHECK(filed.params[1]["oid"] == "c3");
  CHECK(filed.params[2]["oid"] == "d4");
}

TEST_CASE("an append cut short by a crash is set aside, not lost silently") {
  test::TempDir t("spool");
  fs::path journal = t / "journal.db";
  fs::path spool = SpoolPath(journal);
  REQUIRE(Append(spool, "commit.record", {{"oid", "a1"}}, 100).has_value());
  {
    std::ofstream out(spool, std::ios::app);
    out << R"({"method":"commit.record","params":{"oid":"b)";  // no newline, cut
  }
  Filed filed;
  Result<DrainReport> r = Drain(spool, RejectedPath(journal), Recorder(filed));
  REQUIRE(r.has_value());
  CHECK(r->done == 1);
  CHECK(r->rejected == 1);
  CHECK(Read(RejectedPath(journal)).find(R"(\"oid\":\"b)") != std::string::npos);
}

}  // namespace
}  // namespace brag::spool

namespace brag::spool {
namespace {

TEST_CASE("a spool record nested 100,000 deep is set aside unparsed, the rest filed") {
  test::TempDir t("spool");
  fs::path journal = t / "journal.db";
  fs::path spool = SpoolPath(journal);
  {
    std::ofstream out(spool, std::ios::app);
    out << R"({"method":"commit.record","params":)" << std::string(100000, '[')
        << std::string(100000, ']') << "}\n";
  }
  REQUIRE(Append(spool, "commit.record", {{"oid", "b2"}}, 100).has_value());
  Filed filed;
  Result<DrainReport> r = Drain(spool, RejectedPath(journal), Recorder(filed));
  REQUIRE(r.has_value());
  CHECK(r->rejected == 1);
  CHECK(r->done == 1);
  REQUIRE(filed.params.size() == 1);
  CHECK(filed.params[0]["oid"] == "b2");
  CHECK(Read(RejectedPath(journal)).find("not a spool record") != std::string::npos);
}

}  // namespace
}  // namespace brag::spool
