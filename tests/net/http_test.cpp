// The HTTP client against local test servers on 127.0.0.1.
#include "net/http.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "../debian/repo_fixture.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace distill::net {
namespace {

using distill::testing::count_of;
using distill::testing::TestServer;

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

TEST(Headers, CaseInsensitiveLookupAndSet) {
  Headers h;
  h.add("Content-Type", "text/plain");
  h.add("ETag", "\"x\"");
  EXPECT_EQ(h.get("content-type").value_or(""), "text/plain");
  EXPECT_EQ(h.get("ETAG").value_or(""), "\"x\"");
  EXPECT_FALSE(h.has("Range"));
  h.set("etag", "\"y\"");
  EXPECT_EQ(h.items().size(), 2u);
  EXPECT_EQ(h.get("ETag").value_or(""), "\"y\"");
}

TEST(Url, Parts) {
  EXPECT_EQ(url_scheme("HTTP://Example.org/x"), "http");
  EXPECT_EQ(url_host("http://user:pw@Mirror.Example:8080/debian"), "mirror.example");
  EXPECT_EQ(url_host("http://[::1]:80/"), "::1");
  EXPECT_EQ(redact_url("https://user:secret@host/path"), "https://***@host/path");
  EXPECT_EQ(redact_url("file:///srv/repo"), "file:///srv/repo");
}

TEST(Http, GetBuffersBodyAndHeaders) {
  TempDir tmp;
  write_file_atomic(tmp.path() + "/hello.txt", "hello world\n");
  TestServer server("serve", tmp.path(), tmp.path());
  Client client;
  Response r = client.send([&] {
    Request q;
    q.url = server.url("/hello.txt");
    return q;
  }());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello world\n");
  EXPECT_EQ(r.headers.get("content-length").value_or(""), "12");
  Request missing;
  missing.url = server.url("/nope");
  EXPECT_EQ(client.send(missing).status, 404);
}

TEST(Http, FileUrls) {
  TempDir tmp;
  write_file_atomic(tmp.path() + "/a", "file data");
  Client client;
  Request q;
  q.url = "file://" + tmp.path() + "/a";
  Response r = client.send(q);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "file data");
  q.url = "file://" + tmp.path() + "/missing";
  EXPECT_EQ(client.send(q).status, 404);
  client.download("file://" + tmp.path() + "/a", tmp.path() + "/copy");
  EXPECT_EQ(read_file(tmp.path() + "/copy"), "file data");
}

TEST(Http, InterruptedDownloadIsResumedWithRange) {
  TempDir tmp;
  std::string data = random_bytes(300 * 1024, 7);
  make_dirs(tmp.path() + "/www");
  write_file_atomic(tmp.path() + "/www/big.bin", data);
  // The server sends half of the body, then drops the connection, once.
  TestServer server("drop", tmp.path() + "/www", tmp.path());
  ClientOptions o;
  o.backoff_ms = 10;
  Client client(o);
  client.download(server.url("/big.bin"), tmp.path() + "/out");
  EXPECT_EQ(sha256_file_hex(tmp.path() + "/out"), sha256_hex(data));
  EXPECT_EQ(server.log(),
            "GET /big.bin\nGET /big.bin bytes=" + std::to_string(data.size() / 2) + "-\n");
  EXPECT_EQ(client.attempts(), 2u);
}

TEST(Http, InterruptedDownloadWithoutRetriesFails) {
  TempDir tmp;
  make_dirs(tmp.path() + "/www");
  write_file_atomic(tmp.path() + "/www/big.bin", random_bytes(64 * 1024, 3));
  TestServer server("drop", tmp.path() + "/www", tmp.path());
  ClientOptions o;
  o.retries = 0;
  Client client(o);
  try {
    client.download(server.url("/big.bin"), tmp.path() + "/out");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot download " + server.url("/big.bin")),
              std::string::npos)
        << e.what();
  }
}

TEST(Http, HangingServerTripsTheStallTimeout) {
  TempDir tmp;
  TestServer server("hang", tmp.path(), tmp.path());
  ClientOptions o;
  o.timeouts.connect_seconds = 2;
  o.timeouts.stall_seconds = 1;
  o.retries = 1;
  o.backoff_ms = 10;
  Client client(o);
  auto start = std::chrono::steady_clock::now();
  Request q;
  q.url = server.url("/InRelease");
  try {
    client.send(q);
    FAIL() << "expected a timeout";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(server.url("/InRelease") + ": timed out"), std::string::npos) << msg;
    EXPECT_NE(msg.find("stall limit 1 s"), std::string::npos) << msg;
    EXPECT_NE(msg.find("after 2 attempts"), std::string::npos) << msg;
    EXPECT_EQ(e.kind(), ErrorKind::kTransient);
  }
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(secs, 6.0);
  EXPECT_EQ(client.attempts(), 2u);
}

TEST(Http, ServiceUnavailableAndTooManyRequestsAreRetried) {
  TempDir tmp;
  make_dirs(tmp.path() + "/www");
  std::string data = random_bytes(4096, 7);
  write_file_atomic(tmp.path() + "/www/a.deb", data);
  write_file_atomic(tmp.path() + "/www/b.deb", data);
  TestServer server("flaky", tmp.path() + "/www", tmp.path());
  ClientOptions o;
  o.retries = 2;
  o.backoff_ms = 10;
  Client client(o);
  client.download(server.url("/a.deb"), tmp.path() + "/a");
  EXPECT_EQ(sha256_file_hex(tmp.path() + "/a"), sha256_hex(data));
  EXPECT_EQ(client.attempts(), 3u);

  // With one retry the 429 is the last word, and the message says so.
  ClientOptions one = o;
  one.retries = 1;
  Client impatient(one);
  try {
    impatient.download(server.url("/b.deb"), tmp.path() + "/b");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(server.url("/b.deb")), std::string::npos) << msg;
    EXPECT_NE(msg.find("429"), std::string::npos) << msg;
    EXPECT_NE(msg.find("after 2 attempts"), std::string::npos) << msg;
    EXPECT_EQ(e.kind(), ErrorKind::kTransient);
  }
}

TEST(Http, ConnectionRefusedIsRetriedThenReported) {
  ClientOptions o;
  o.retries = 2;
  o.backoff_ms = 10;
  Client client(o);
  Request q;
  q.url = "http://127.0.0.1:9/x";  // discard port: nothing listens
  try {
    client.send(q);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("http://127.0.0.1:9/x: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("after 3 attempts"), std::string::npos) << e.what();
    EXPECT_EQ(e.kind(), ErrorKind::kTransient);
  }
  EXPECT_EQ(client.attempts(), 3u);
}

TEST(Http, ParallelDownloads) {
  TempDir tmp;
  make_dirs(tmp.path() + "/www");
  std::vector<Download> downloads;
  std::vector<std::string> contents;
  for (int i = 0; i < 6; ++i) {
    contents.push_back(random_bytes(20000 + i * 1000, i));
    write_file_atomic(tmp.path() + "/www/f" + std::to_string(i), contents.back());
    downloads.push_back({"", tmp.path() + "/out" + std::to_string(i), {}, contents.back().size()});
  }
  TestServer server("serve", tmp.path() + "/www", tmp.path());
  for (int i = 0; i < 6; ++i) downloads[i].url = server.url("/f" + std::to_string(i));
  Client client;
  client.download_all(downloads, 3, nullptr);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(read_file(downloads[i].path), contents[i]);
  // A failing member is reported per file, the others still complete.
  downloads[2].url = server.url("/missing");
  for (auto& d : downloads) ::unlink(d.path.c_str());
  std::vector<std::string> errors;
  client.download_all(downloads, 3, nullptr, &errors);
  EXPECT_EQ(errors[2], server.url("/missing") + ": HTTP 404");
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(read_file(downloads[5].path), contents[5]);
}

TEST(Http, ConfiguredProxyIsUsed) {
  TempDir tmp;
  write_file_atomic(tmp.path() + "/x", "via proxy");
  TestServer server("serve", tmp.path(), tmp.path());
  TestServer proxy("proxy", tmp.path(), tmp.path());
  ClientOptions o;
  o.proxy.http = proxy.url();
  Client client(o);
  Request q;
  q.url = server.url("/x");
  EXPECT_EQ(client.send(q).body, "via proxy");
  EXPECT_EQ(proxy.log(), "GET " + server.url("/x") + "\n");
  // A per-host DIRECT entry bypasses it.
  o.proxy.per_host["127.0.0.1"] = "DIRECT";
  Client direct(o);
  EXPECT_EQ(direct.send(q).body, "via proxy");
  EXPECT_EQ(count_of(proxy.log(), "GET "), 1);
}

TEST(Http, StreamsBodyIntoSink) {
  TempDir tmp;
  write_file_atomic(tmp.path() + "/x", "streamed");
  TestServer server("serve", tmp.path(), tmp.path());
  Client client;
  Request q;
  q.url = server.url("/x");
  StringSink sink;
  Response r = client.send(q, sink);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(sink.data(), "streamed");
}

}  // namespace
}  // namespace distill::net
