#include "journal/sqlite.h"

namespace brag::sql {

bool Row::NextIsNull() const { return sqlite3_column_type(stmt_, col_) == SQLITE_NULL; }

int64_t Row::Int() { return sqlite3_column_int64(stmt_, col_++); }

std::string Row::Text() {
  const unsigned char* text = sqlite3_column_text(stmt_, col_);
  int size = sqlite3_column_bytes(stmt_, col_++);
  if (!text) return std::string();
  return std::string(reinterpret_cast<const char*>(text), size);
}

std::string_view Row::View() {
  const unsigned char* text = sqlite3_column_text(stmt_, col_);
  int size = sqlite3_column_bytes(stmt_, col_++);
  if (!text) return std::string_view();
  return std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

std::optional<int64_t> Row::OptInt() {
  if (NextIsNull()) {
    ++col_;
    return std::nullopt;
  }
  return Int();
}

Statement& Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  // A null pointer would bind SQL NULL; an empty view means "".
  const char* data = value.data() ? value.data() : "";
  int rc = sqlite3_bind_text64(stmt_.get(), index, data, value.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, std::optional<int64_t> value) {
  return value ? Bind(index, *value) : Bind(index, std::nullopt);
}

Statement& Statement::Bind(int index, std::nullopt_t) {
  int rc = sqlite3_bind_null(stmt_.get(), index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Status Statement::Check(int rc) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return {};
  return db_->Fail();
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) {
    return MakeError("journal", db_->path().string() + ": cannot bind a value (" +
                                    sqlite3_errstr(bind_rc_) + ")");
  }
  int rc = sqlite3_step(stmt_.get());
  if (Status s = Check(rc); !s) return s.error();
  return rc == SQLITE_ROW;
}

Status Statement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

void Statement::Reset() {
  // reset() repeats the last step's error, which Step already reported.
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_rc_ = SQLITE_OK;
}

Result<Database> Database::Open(const std::filesystem::path& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // open_v2 hands back a handle even on failure; it must still be closed.
  Database db(DbHandle(raw), path);
  if (rc != SQLITE_OK) {
    if (!raw) return MakeError("journal", path.string() + ": out of memory");
    return db.Fail("cannot open");
  }
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Result<Database> Database::OpenImmutable(const std::filesystem::path& path) {
  // A URI filename: '%', '?' and '#' in the path must be escaped.
  std::string uri = "file:";
  for (char c : path.string()) {
    if (c == '%' || c == '?' || c == '#') {
      static const char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[static_cast<unsigned char>(c) >> 4];
      uri += kHex[static_cast<unsigned char>(c) & 15];
    } else {
      uri += c;
    }
  }
  uri += "?immutable=1";
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(uri.c_str(), &raw,
                           SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  Database db(DbHandle(raw), path);
  if (rc != SQLITE_OK) {
    if (!raw) return MakeError("journal", path.string() + ": out of memory");
    return db.Fail("cannot open");
  }
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Result<Statement> Database::Prepare(std::string_view sql) const {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw,
                              nullptr);
  Statement stmt(StmtHandle(raw), this);
  if (rc != SQLITE_OK) return Fail();
  return stmt;
}

Status Database::Exec(const std::string& sql) const {
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail();
  }
  return {};
}

Result<int64_t> Database::QueryInt(std::string_view sql) const {
  Result<Statement> stmt = Prepare(sql);
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return MakeError("journal", path_.string() + ": no result");
  return stmt->row().Int();
}

Error Database::Fail(std::string_view what) const {
  std::string message = path_.string() + ": ";
  if (!what.empty()) message += std::string(what) + ": ";
  message += db_ ? sqlite3_errmsg(db_.get()) : "out of memory";
  return MakeError("journal", std::move(message));
}

Result<Transaction> Transaction::Begin(Database& db) {
  if (Status s = db.Exec("BEGIN IMMEDIATE"); !s) return s.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  // An I/O error or SQLITE_FULL may already have rolled the transaction back.
  if (db_ && db_->InTransaction()) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (Status s = db_->Exec("COMMIT"); !s) return s;
  db_ = nullptr;
  return {};
}

}  // namespace brag::sql
