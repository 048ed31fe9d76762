// For tests of bragd's parts: steps an io_context until a condition holds
// or a deadline passes (no sleeps), and a client on the same io_context
// that connects to a unix socket, writes lines and reads them back.
#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>  // Boost 1.74's awaitable.hpp misses it.

namespace brag::test {

// Runs handlers one at a time until `done()` or `limit` has passed; returns
// done().
inline bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done,
                     std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    // A loop that ran out of work has stopped: new work needs a restart.
    if (io.stopped()) io.restart();
    if (io.poll() == 0) io.run_one_for(std::chrono::milliseconds(10));
  }
  return done();
}

class LoopClient {
 public:
  LoopClient(boost::asio::io_context& io, const std::filesystem::path& socket)
      : io_(io), socket_(io) {
    socket_.connect(boost::asio::local::stream_protocol::endpoint(socket.string()));
  }

  void Send(const std::string& line) {
    boost::asio::write(socket_, boost::asio::buffer(line + "\n"));
  }

  // The next line, or none when the connection closed or `limit` passed.
  std::optional<std::string> ReadLine(
      std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    bool done = false;
    boost::system::error_code error;
    boost::asio::async_read_until(socket_, in_, '\n',
                                  [&](boost::system::error_code ec, size_t) {
                                    error = ec;
                                    done = true;
                                  });
    if (!RunUntil(io_, [&] { return done; }, limit)) {
      socket_.cancel();
      RunUntil(io_, [&] { return done; });
      return std::nullopt;
    }
    if (error) return std::nullopt;
    std::istream stream(&in_);
    std::string line;
    std::getline(stream, line);
    return line;
  }

  void Close() { socket_.close(); }

 private:
  boost::asio::io_context& io_;
  boost::asio::local::stream_protocol::socket socket_;
  boost::asio::streambuf in_;
};

}  // namespace brag::test
