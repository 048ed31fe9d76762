#include "support/git_fixture.h"

#include <stdexcept>

#include "support/temp_dir.h"

namespace brag::test {

GitRepo GitRepo::Init(const std::filesystem::path& dir, bool bare) {
  std::filesystem::create_directories(dir);
  CommandResult r = RunCommand("git init -q -b main " +
                               std::string(bare ? "--bare " : "") +
                               ShellQuote(dir.string()));
  if (r.code != 0) throw std::runtime_error("git init failed: " + r.output);
  return GitRepo(dir);
}

GitRepo GitRepo::Clone(const std::filesystem::path& from,
                       const std::filesystem::path& to) {
  CommandResult r = RunCommand("git clone -q " + ShellQuote(from.string()) + " " +
                               ShellQuote(to.string()));
  if (r.code != 0) throw std::runtime_error("git clone failed: " + r.output);
  return GitRepo(to);
}

std::string GitRepo::Git(const std::string& args, const std::string& email) const {
  std::string name = email.substr(0, email.find('@'));
  std::string env = "GIT_AUTHOR_NAME=" + ShellQuote(name) +
                    " GIT_AUTHOR_EMAIL=" + ShellQuote(email) +
                    " GIT_COMMITTER_NAME=" + ShellQuote(name) +
                    " GIT_COMMITTER_EMAIL=" + ShellQuote(email) + " ";
  std::string cmd = env + "git -C " + ShellQuote(dir_.string()) + " " + args;
  // Inside braces, so that RunCommand's own `2>&1` cannot undo the discard:
  // git's hints and warnings must not end up in the returned stdout.
  CommandResult r = RunCommand("{ " + cmd + " 2>/dev/null; }");
  if (r.code != 0) {
    CommandResult again = RunCommand(cmd);
    throw std::runtime_error("`git " + args + "` failed: " + again.output);
  }
  std::string out = r.output;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string GitRepo::Rev(const std::string& rev) const {
  return Git("rev-parse " + ShellQuote(rev));
}

std::string GitRepo::Commit(const std::string& file, const std::string& content,
                            const std::string& message,
                            const std::string& email) const {
  WriteFile(dir_ / file, content);
  Git("add -- " + ShellQuote(file), email);
  Git("commit -q -m " + ShellQuote(message), email);
  return Rev();
}

std::string GitRepo::GithubMerge(int pr, const std::string& branch,
                                 const std::string& title,
                                 const std::string& author,
                                 const std::string& base,
                                 const std::string& merger) const {
  Git("checkout -q -b " + ShellQuote(branch) + " " + ShellQuote(base));
  Commit(branch + ".txt", title + "\n", title, author);
  Git("checkout -q " + ShellQuote(base));
  std::string subject = "Merge pull request #" + std::to_string(pr) +
                        " from owner/" + branch;
  Git("merge -q --no-ff -m " + ShellQuote(subject) + " -m " + ShellQuote(title) +
          " " + ShellQuote(branch),
      merger);
  return Rev();
}

std::string GitRepo::GithubSquash(int pr, const std::string& title,
                                  const std::string& author,
                                  const std::string& base,
                                  const std::string& extra_body) const {
  Git("checkout -q " + ShellQuote(base));
  std::string message = title + " (#" + std::to_string(pr) + ")";
  if (!extra_body.empty()) message += "\n\n" + extra_body;
  return Commit("squash-" + std::to_string(pr) + ".txt", title + "\n", message,
                author);
}

std::string GitRepo::LocalMerge(const std::string& branch,
                                const std::string& author,
                                const std::string& base) const {
  Git("checkout -q -b " + ShellQuote(branch) + " " + ShellQuote(base));
  Commit(branch + ".txt", branch + "\n", "work on " + branch, author);
  Git("checkout -q " + ShellQuote(base));
  Git("merge -q --no-ff --no-edit " + ShellQuote(branch), author);
  return Rev();
}

}  // namespace brag::test
