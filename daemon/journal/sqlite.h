// RAII handles over the SQLite C API for the journal: a connection, prepared
// statements and an IMMEDIATE transaction. Every return code becomes a Result
// here, with sqlite3_errmsg and the database path in the message; nothing
// outside this file closes or finalizes a handle.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/result.h"

namespace brag::sql {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

class Database;

// A cursor over the current row of a statement: each getter reads the next
// column, so readers of records compose in SELECT order. Valid until the
// statement steps again.
class Row {
 public:
  explicit Row(sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool NextIsNull() const;
  int64_t Int();
  std::string Text();
  // The next column's text without a copy: valid until the statement steps
  // again. "" for NULL.
  std::string_view View();
  std::optional<int64_t> OptInt();
  void Skip(int columns) { col_ += columns; }

 private:
  sqlite3_stmt* stmt_;
  int col_ = 0;
};

// A prepared statement. Binds are 1-based or by ":name"; a failed bind is
// reported by the next Step/Run. `db` must outlive the statement.
class Statement {
 public:
  Statement(StmtHandle stmt, const Database* db) : stmt_(std::move(stmt)), db_(db) {}

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, std::optional<int64_t> value);
  Statement& Bind(int index, std::nullopt_t);
  // Binds ":name"; a name the SQL does not use is ignored.
  template <typename T>
  Statement& Bind(const char* name, const T& value) {
    int index = sqlite3_bind_parameter_index(stmt_.get(), name);
    return index > 0 ? Bind(index, Arg(value)) : *this;
  }
  // Binds the arguments to parameters 1, 2, ... in order.
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, Arg(args)), ...);
    return *this;
  }

  // True when a row is ready (read it with row()), false when done.
  Result<bool> Step();
  // Steps to the end, for statements that return no rows.
  Status Run();
  Row row() const { return Row(stmt_.get()); }
  // Makes the statement ready to run again with new binds.
  void Reset();

 private:
  template <typename T>
  static decltype(auto) Arg(const T& v) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<int64_t>(v);
    } else {
      return (v);
    }
  }
  Status Check(int rc);

  StmtHandle stmt_;
  const Database* db_;
  int bind_rc_ = SQLITE_OK;
};

// An open connection. Errors name the file.
class Database {
 public:
  static Result<Database> Open(const std::filesystem::path& path, int flags);
  // Opens `path` read-only as an immutable file: no locks, no -wal or -shm
  // (so it works in a folder this process cannot write). Only for a file
  // nobody writes meanwhile.
  static Result<Database> OpenImmutable(const std::filesystem::path& path);

  Result<Statement> Prepare(std::string_view sql) const;
  // Runs one or more statements that return no rows.
  Status Exec(const std::string& sql) const;
  // Runs a statement that yields one integer (a PRAGMA, a count).
  Result<int64_t> QueryInt(std::string_view sql) const;
  // The connection's last error as "<path>: [<what>: ]<sqlite3_errmsg>",
  // code "journal".
  Error Fail(std::string_view what = {}) const;

  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }
  int Changes() const { return sqlite3_changes(db_.get()); }
  bool InTransaction() const { return !sqlite3_get_autocommit(db_.get()); }
  const std::filesystem::path& path() const { return path_; }

 private:
  Database(DbHandle db, std::filesystem::path path)
      : db_(std::move(db)), path_(std::move(path)) {}

  DbHandle db_;
  std::filesystem::path path_;
};

// BEGIN IMMEDIATE on construction; rolled back on destruction unless
// Commit() succeeded. `db` must outlive the transaction.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed, rolled back or moved from
};

// Runs `body` (returning some Result) in one transaction; commits only if it
// succeeded, and returns its result only once the commit has succeeded.
template <typename Body>
auto InTransaction(Database& db, Body&& body) -> decltype(body()) {
  Result<Transaction> tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  auto result = body();
  if (!result) return result;
  if (Status s = tx->Commit(); !s) return s.error();
  return result;
}

}  // namespace brag::sql
