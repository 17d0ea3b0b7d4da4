// kgwb serve: ask, predict and explain over HTTP/JSON on one host (cpp-httplib, Debian's
// libcpp-httplib-dev). Every request needs "Authorization: Bearer <token>" (the token file's
// first line); bodies over --max-body bytes are refused (413) before they are read in full;
// malformed JSON or missing fields are 400; at most --max-inflight requests are served at once
// by --workers threads, further ones get 503 at once (a bounded queue, not an unbounded one).
// The engine objects (QaAnswerer, Explainer) are each used under their own mutex.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <httplib.h>
#include <mutex>
#include <nlohmann/json.hpp>

#include "args.h"
#include "interrupt.h"
#include "core/error.h"
#include "ml/explainer.h"
#include "ml/qa.h"
#include "qa_json.h"
#include "store/project.h"

namespace kgcli {
namespace {

httplib::Server* gServer = nullptr;
extern "C" void onServeSignal(int)
{
    if (gServer)
        gServer->stop();
}

struct HttpError {
    int status;
    std::string message;
};

bool sameToken(const std::string& a, const std::string& b)
{
    unsigned diff = a.size() != b.size();
    for (size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

std::string readToken(const std::string& file)
{
    std::ifstream in(file);
    std::string token;
    if (!in || !std::getline(in, token))
        throw kg::Error(kg::Errc::Io, "cannot read the token file " + file);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' '))
        token.pop_back();
    if (token.size() < 16)
        throw kg::Error(kg::Errc::InvalidArgument, "the token in " + file + " is shorter than 16 characters");
    return token;
}

class Service {
public:
    Service(const std::string& project, int64_t qaRun, const std::string& model)
        : names_(kg::Project::open(project, kg::Project::OpenMode::ReadOnly))
        , explainer_(std::make_unique<kg::ml::Explainer>(project, model))
    {
        try {
            answerer_ = kg::ml::QaAnswerer::load(project, qaRun);
        } catch (const kg::Error& e) {
            if (e.code() != kg::Errc::NotFound || qaRun != 0)
                throw;
            std::fprintf(stderr, "kgwb serve: no question-answering model; /ask answers 404\n");
        }
    }

    nlohmann::json ask(const nlohmann::json& body)
    {
        if (!answerer_)
            throw HttpError{404, "the project has no trained question-answering model"};
        const std::string question = field<std::string>(body, "question");
        kg::ml::QaAskOptions o;
        o.k = body.value("k", 5);
        std::lock_guard<std::mutex> lock(qaMutex_);
        if (body.contains("topic"))
            o.topic = entity(field<std::string>(body, "topic"));
        if (body.contains("path"))
            for (const auto& key : field<std::vector<std::string>>(body, "path")) {
                const bool inverse = !key.empty() && key[0] == '~';
                o.path.push_back(inverse ? -relation(key.substr(1)) : relation(key));
            }
        const auto result = answerer_->ask(question, o);
        return askJson(*names_, question, result, answerer_->run());
    }

    nlohmann::json predict(const nlohmann::json& body)
    {
        std::lock_guard<std::mutex> lock(explainMutex_);
        const int64_t head = entity(field<std::string>(body, "head")), rel = relation(field<std::string>(body, "relation"));
        nlohmann::json out = {{"head", body["head"]}, {"relation", body["relation"]}, {"answers", nlohmann::json::array()}};
        for (const auto& a : explainer_->answers(head, rel, body.value("k", 10)))
            out["answers"].push_back({{"entity", names_->entity(a.entity)->key}, {"score", a.score}, {"known", a.known}});
        return out;
    }

    nlohmann::json explain(const nlohmann::json& body)
    {
        std::lock_guard<std::mutex> lock(explainMutex_);
        const int64_t head = entity(field<std::string>(body, "head")), rel = relation(field<std::string>(body, "relation"));
        std::optional<int64_t> tail;
        if (body.contains("tail"))
            tail = entity(field<std::string>(body, "tail"));
        return nlohmann::json::parse(explainer_->explainJson(head, rel, tail, body.value("k", 10)));
    }

private:
    template <class T>
    static T field(const nlohmann::json& body, const char* name)
    {
        if (!body.contains(name))
            throw HttpError{400, std::string("missing field '") + name + "'"};
        try {
            return body.at(name).get<T>();
        } catch (const nlohmann::json::exception&) {
            throw HttpError{400, std::string("bad type for field '") + name + "'"};
        }
    }
    int64_t entity(const std::string& key)
    {
        const auto e = names_->entityByKey(key);
        if (!e)
            throw HttpError{404, "no entity with key '" + key + "'"};
        return e->id;
    }
    int64_t relation(const std::string& key)
    {
        const auto r = names_->relationByKey(key);
        if (!r)
            throw HttpError{404, "no relation with key '" + key + "'"};
        return r->id;
    }

    std::unique_ptr<kg::Project> names_; // its own lock (store/project.h)
    std::mutex qaMutex_, explainMutex_;
    std::unique_ptr<kg::ml::QaAnswerer> answerer_;
    std::unique_ptr<kg::ml::Explainer> explainer_;
};

void reply(httplib::Response& res, int status, const nlohmann::json& body)
{
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

} // namespace

int runServe(int argc, char** argv)
{
    Args args(argc, argv, 2, {"port", "host", "token-file", "max-body", "workers", "max-inflight", "qa-run", "model"}, {});
    if (args.positional().size() != 1 || !args.value("token-file"))
        throw UsageError("serve needs PROJECT and --token-file F");
    const std::string token = readToken(*args.value("token-file"));
    const int port = args.intValue("port", 8650), workers = args.intValue("workers", 4);
    const int maxInflight = args.intValue("max-inflight", 16), maxBody = args.intValue("max-body", 65536);
    if (port < 0 || port > 65535 || workers < 1 || maxInflight < 1 || maxBody < 64)
        throw UsageError("--port 0..65535, --workers and --max-inflight >= 1, --max-body >= 64");
    Service service(args.positional()[0], args.intValue("qa-run", 0), args.value("model").value_or(""));

    httplib::Server server;
    server.new_task_queue = [workers] { return new httplib::ThreadPool(static_cast<size_t>(workers)); };
    server.set_payload_max_length(static_cast<size_t>(maxBody));
    std::atomic<int> inflight{0};
    auto authorized = [&token](const httplib::Request& req) {
        const std::string auth = req.get_header_value("Authorization");
        return auth.rfind("Bearer ", 0) == 0 && sameToken(auth.substr(7), token);
    };
    auto route = [&](const char* path, nlohmann::json (Service::*method)(const nlohmann::json&)) {
        server.Post(path, [&, method](const httplib::Request& req, httplib::Response& res) {
            struct Slot {
                std::atomic<int>& n;
                ~Slot() { --n; }
            } slot{inflight};
            if (++inflight > maxInflight)
                return reply(res, 503, {{"error", "busy: too many requests in flight"}});
            if (!authorized(req))
                return reply(res, 401, {{"error", "missing or wrong token"}});
            const auto body = nlohmann::json::parse(req.body, nullptr, false);
            if (body.is_discarded() || !body.is_object())
                return reply(res, 400, {{"error", "the body must be a JSON object"}});
            try {
                reply(res, 200, (service.*method)(body));
            } catch (const HttpError& e) {
                reply(res, e.status, {{"error", e.message}});
            } catch (const kg::Error& e) {
                reply(res, e.code() == kg::Errc::InvalidArgument || e.code() == kg::Errc::NotFound ? 400 : 500,
                      {{"error", e.what()}});
            } catch (const std::exception& e) { // c10::Error and the rest: a reply, never terminate
                reply(res, 500, {{"error", e.what()}});
            }
        });
    };
    route("/ask", &Service::ask);
    route("/predict", &Service::predict);
    route("/explain", &Service::explain);
    server.Get("/health", [&](const httplib::Request& req, httplib::Response& res) {
        if (!authorized(req))
            return reply(res, 401, {{"error", "missing or wrong token"}});
        reply(res, 200, {{"ok", true}});
    });
    const std::string host = args.value("host").value_or("127.0.0.1");
    if (!server.bind_to_port(host, port))
        throw kg::Error(kg::Errc::Io, "cannot listen on " + host + ":" + std::to_string(port));
    gServer = &server;
    {
        const InterruptScope interrupt(onServeSignal);
        std::printf("serving %s on http://%s:%d (ask, predict, explain; %d workers)\n", args.positional()[0].c_str(),
                    host.c_str(), port, workers);
        std::fflush(stdout);
        server.listen_after_bind();
    }
    gServer = nullptr;
    return Ok;
}

} // namespace kgcli
