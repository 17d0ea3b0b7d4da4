#include "ml/train_config.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"

namespace kg::ml {
namespace {

template <typename E>
struct Names;

#define KG_NAMES(E, ...)                                                                           \
    template <>                                                                                    \
    struct Names<E> {                                                                              \
        static constexpr std::pair<E, const char*> list[] = {__VA_ARGS__};                         \
    };
KG_NAMES(ModelKind, {ModelKind::TransE, "transe"}, {ModelKind::DistMult, "distmult"},
         {ModelKind::ComplEx, "complex"}, {ModelKind::RotatE, "rotate"},
         {ModelKind::Transformer, "transformer"}, {ModelKind::CompGCN, "compgcn"})
KG_NAMES(TextStage, {TextStage::Pretrain, "pretrain"}, {TextStage::Finetune, "finetune"})
KG_NAMES(TrainMode, {TrainMode::NegativeSampling, "negative_sampling"}, {TrainMode::OneVsAll, "1vsall"})
KG_NAMES(LossKind, {LossKind::Margin, "margin"}, {LossKind::BCE, "bce"}, {LossKind::CE, "ce"})
KG_NAMES(SamplerKind, {SamplerKind::Uniform, "uniform"}, {SamplerKind::Bernoulli, "bernoulli"})
KG_NAMES(RegKind, {RegKind::None, "none"}, {RegKind::L2, "l2"}, {RegKind::N3, "n3"})
KG_NAMES(OptimizerKind, {OptimizerKind::Adam, "adam"}, {OptimizerKind::Adagrad, "adagrad"},
         {OptimizerKind::RowAdagrad, "row_adagrad"})
KG_NAMES(UpdateKind, {UpdateKind::Auto, "auto"}, {UpdateKind::Dense, "dense"}, {UpdateKind::Rows, "rows"})
#undef KG_NAMES

template <typename E>
const char* nameOf(E value)
{
    for (const auto& [v, n] : Names<E>::list)
        if (v == value)
            return n;
    return "?";
}

template <typename E>
E parseName(const std::string& field, const std::string& name)
{
    std::string all;
    for (const auto& [v, n] : Names<E>::list) {
        if (name == n)
            return v;
        all += all.empty() ? n : std::string(", ") + n;
    }
    throw Error(Errc::InvalidArgument, "config field '" + field + "': '" + name + "' is not one of " + all);
}

} // namespace

const char* modelName(ModelKind m) { return nameOf(m); }
ModelKind parseModel(const std::string& name) { return parseName<ModelKind>("model", name); }

double defaultLearningRate(ModelKind model)
{
    switch (model) {
    case ModelKind::Transformer: return 1e-3;
    case ModelKind::CompGCN: return 3e-3;
    default: return 0.01;
    }
}
const char* stageName(TextStage s) { return nameOf(s); }

namespace {

nlohmann::json transformerJson(const TransformerOptions& t)
{
    return {{"stage", nameOf(t.stage)},   {"init_from", t.initFrom},
            {"heads", t.heads},           {"layers", t.layers},
            {"ffn", t.ffn},               {"context", t.context},
            {"use_text", t.useText},      {"text_tokens", t.textTokens},
            {"vocab_size", t.vocabSize},  {"dropout", t.dropout},
            {"label_smoothing", t.labelSmoothing}, {"mask_probability", t.maskProbability},
            {"head_mask", t.headMask},    {"warmup", t.warmup}, {"cosine_decay", t.cosineDecay},
            {"lora_rank", t.loraRank},    {"lora_alpha", t.loraAlpha},
            {"lora_targets", t.loraTargets}, {"lora_entities", t.loraEntities}, {"lambda_lm", t.lambdaLm},
            {"lambda_kge", t.lambdaKge},  {"lambda_reason", t.lambdaReason},
            {"targets", t.targets},       {"shortcut", t.shortcut},
            {"bf16", t.bf16}};
}

TransformerOptions transformerFromJson(const nlohmann::json& j)
{
    if (!j.is_object())
        throw Error(Errc::InvalidArgument, "config field 'transformer' must be an object");
    TransformerOptions t;
    const auto known = transformerJson(t);
    for (const auto& [key, value] : j.items()) {
        if (!known.contains(key))
            throw Error(Errc::InvalidArgument, "config field 'transformer' has unknown field '" + key + "'");
        const auto& like = known[key];
        const bool ok = like.is_string() ? value.is_string()
                        : like.is_boolean() ? value.is_boolean()
                        : (like.is_number_integer() ? value.is_number_integer() : value.is_number());
        if (!ok)
            throw Error(Errc::InvalidArgument, "config field 'transformer." + key + "' must be " +
                                                   (like.is_string() ? "a string" : like.is_boolean() ? "true or false"
                                                    : like.is_number_integer() ? "an integer" : "a number"));
    }
    auto get = [&](const char* key, auto& out) {
        if (j.contains(key))
            out = j[key].get<std::decay_t<decltype(out)>>();
    };
    if (j.contains("stage"))
        t.stage = parseName<TextStage>("transformer.stage", j["stage"].get<std::string>());
    get("init_from", t.initFrom);
    get("heads", t.heads);
    get("layers", t.layers);
    get("ffn", t.ffn);
    get("context", t.context);
    get("use_text", t.useText);
    get("text_tokens", t.textTokens);
    get("vocab_size", t.vocabSize);
    get("dropout", t.dropout);
    get("label_smoothing", t.labelSmoothing);
    get("mask_probability", t.maskProbability);
    get("head_mask", t.headMask);
    get("warmup", t.warmup);
    get("cosine_decay", t.cosineDecay);
    get("shortcut", t.shortcut);
    get("lora_rank", t.loraRank);
    get("lora_alpha", t.loraAlpha);
    get("lora_targets", t.loraTargets);
    get("lora_entities", t.loraEntities);
    get("lambda_lm", t.lambdaLm);
    get("lambda_kge", t.lambdaKge);
    get("lambda_reason", t.lambdaReason);
    get("targets", t.targets);
    get("bf16", t.bf16);
    return t;
}

nlohmann::json gnnJson(const GnnOptions& g)
{
    return {{"layers", g.layers}, {"dropout", g.dropout}, {"label_smoothing", g.labelSmoothing}};
}

GnnOptions gnnFromJson(const nlohmann::json& j)
{
    if (!j.is_object())
        throw Error(Errc::InvalidArgument, "config field 'gnn' must be an object");
    GnnOptions g;
    for (const auto& [key, value] : j.items()) {
        if (key != "layers" && key != "dropout" && key != "label_smoothing")
            throw Error(Errc::InvalidArgument, "config field 'gnn' has unknown field '" + key + "'");
        if (!value.is_number() || (key == "layers" && !value.is_number_integer()))
            throw Error(Errc::InvalidArgument, "config field 'gnn." + key + "' must be a number");
    }
    if (j.contains("layers"))
        g.layers = j["layers"].get<int64_t>();
    if (j.contains("dropout"))
        g.dropout = j["dropout"].get<double>();
    if (j.contains("label_smoothing"))
        g.labelSmoothing = j["label_smoothing"].get<double>();
    return g;
}

} // namespace

std::string TrainConfig::toJson() const
{
    auto j = nlohmann::json{{"model", nameOf(model)},        {"dim", dim},
                          {"gamma", gamma},                {"p_norm", pNorm},
                          {"mode", nameOf(mode)},          {"loss", nameOf(loss)},
                          {"sampler", nameOf(sampler)},    {"negatives", negatives},
                          {"neg_chunk", negChunk},         {"adv_temperature", advTemperature},
                          {"margin", margin},              {"reg", nameOf(reg)},
                          {"reg_weight", regWeight},       {"optimizer", nameOf(optimizer)},
                          {"updates", nameOf(updates)},
                          {"lr", lr},                      {"batch_size", batchSize},
                          {"epochs", epochs},              {"seed", seed},
                          {"threads", threads},            {"device", device},
                          {"eval_batch", evalBatch}};
    if (model == ModelKind::Transformer)
        j["transformer"] = transformerJson(transformer);
    if (model == ModelKind::CompGCN)
        j["gnn"] = gnnJson(gnn);
    return j.dump(2);
}

TrainConfig TrainConfig::fromJson(const std::string& text)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(Errc::InvalidArgument, std::string("config is not valid JSON: ") + e.what());
    }
    if (!j.is_object())
        throw Error(Errc::InvalidArgument, "config must be a JSON object");
    TrainConfig c;
    static const char* known[] = {"model", "dim", "gamma", "p_norm", "mode", "loss", "sampler",
                                  "negatives", "neg_chunk", "adv_temperature", "margin", "reg",
                                  "reg_weight", "optimizer", "updates", "lr", "batch_size", "epochs", "seed",
                                  "threads", "device", "eval_batch", "transformer", "gnn"};
    for (const auto& [key, value] : j.items()) {
        if (std::find(std::begin(known), std::end(known), key) == std::end(known))
            throw Error(Errc::InvalidArgument, "config has unknown field '" + key + "'");
    }
    auto num = [&](const char* field, auto& out) {
        if (!j.contains(field))
            return;
        if (!j[field].is_number())
            throw Error(Errc::InvalidArgument, std::string("config field '") + field + "' must be a number");
        out = j[field].get<std::decay_t<decltype(out)>>();
    };
    auto str = [&](const char* field) -> std::optional<std::string> {
        if (!j.contains(field))
            return std::nullopt;
        if (!j[field].is_string())
            throw Error(Errc::InvalidArgument, std::string("config field '") + field + "' must be a string");
        return j[field].get<std::string>();
    };
    if (auto v = str("model")) c.model = parseName<ModelKind>("model", *v);
    if (auto v = str("mode")) c.mode = parseName<TrainMode>("mode", *v);
    if (auto v = str("loss")) c.loss = parseName<LossKind>("loss", *v);
    if (auto v = str("sampler")) c.sampler = parseName<SamplerKind>("sampler", *v);
    if (auto v = str("reg")) c.reg = parseName<RegKind>("reg", *v);
    if (auto v = str("optimizer")) c.optimizer = parseName<OptimizerKind>("optimizer", *v);
    if (auto v = str("updates")) c.updates = parseName<UpdateKind>("updates", *v);
    if (auto v = str("device")) c.device = *v;
    num("dim", c.dim);
    num("gamma", c.gamma);
    num("p_norm", c.pNorm);
    num("negatives", c.negatives);
    num("neg_chunk", c.negChunk);
    num("adv_temperature", c.advTemperature);
    num("margin", c.margin);
    num("reg_weight", c.regWeight);
    c.lr = defaultLearningRate(c.model);
    num("lr", c.lr);
    num("batch_size", c.batchSize);
    num("epochs", c.epochs);
    num("seed", c.seed);
    num("threads", c.threads);
    num("eval_batch", c.evalBatch);
    if (j.contains("transformer"))
        c.transformer = transformerFromJson(j["transformer"]);
    if (j.contains("gnn"))
        c.gnn = gnnFromJson(j["gnn"]);
    c.validate();
    return c;
}

void TrainConfig::validate() const
{
    auto bad = [](const std::string& why) { throw Error(Errc::InvalidArgument, "config: " + why); };
    if (dim <= 0 || dim > 65536)
        bad("dim must be in 1..65536");
    if ((model == ModelKind::ComplEx || model == ModelKind::RotatE) && dim % 2 != 0)
        bad(std::string(modelName(model)) + " needs an even dim (real and imaginary halves)");
    if (pNorm != 1 && pNorm != 2)
        bad("p_norm must be 1 or 2");
    if (negatives <= 0 || negChunk <= 0)
        bad("negatives and neg_chunk must be positive");
    if (batchSize <= 0 || epochs < 0 || evalBatch <= 0)
        bad("batch_size and eval_batch must be positive, epochs non-negative");
    if (!(lr > 0))
        bad("lr must be positive");
    if (regWeight < 0 || advTemperature < 0 || margin < 0)
        bad("reg_weight, adv_temperature and margin must be non-negative");
    if (mode == TrainMode::OneVsAll && loss != LossKind::CE && loss != LossKind::BCE)
        bad("1vsall training uses the ce or bce loss");
    if (updates == UpdateKind::Rows && (mode != TrainMode::NegativeSampling || optimizer == OptimizerKind::Adagrad))
        bad("updates 'rows' needs negative_sampling mode and the adam or row_adagrad optimizer (1vsall uses every row)");
    if (threads < 0)
        bad("threads must be >= 0");
    if (device != "auto" && device != "cpu" && device.rfind("cuda", 0) != 0)
        bad("device must be auto, cpu, cuda or cuda:N");
    if (model == ModelKind::CompGCN &&
        (gnn.layers < 0 || gnn.layers > 8 || gnn.dropout < 0 || gnn.dropout >= 1 || gnn.labelSmoothing < 0 ||
         gnn.labelSmoothing >= 1))
        bad("gnn layers must be in 0..8, dropout and label_smoothing in [0, 1)");
    if (model != ModelKind::Transformer)
        return;
    const auto& t = transformer;
    if (t.heads <= 0 || t.layers <= 0 || t.layers > 48)
        bad("transformer heads must be positive and layers in 1..48");
    if (dim % t.heads != 0)
        bad("transformer dim (" + std::to_string(dim) + ") must be divisible by heads (" + std::to_string(t.heads) + ")");
    if (t.ffn < 0 || t.context < 0 || t.context > 512 || t.textTokens < 0 || t.textTokens > 256)
        bad("transformer ffn must be >= 0, context in 0..512, text_tokens in 0..256");
    if (t.useText && (t.vocabSize < 300 || t.vocabSize > 64000)) // 256 byte pieces + specials come first
        bad("transformer vocab_size must be in 300..64000");
    if (t.dropout < 0 || t.dropout >= 1 || t.labelSmoothing < 0 || t.labelSmoothing >= 1 ||
        t.maskProbability <= 0 || t.maskProbability >= 1 || t.headMask < 0 || t.headMask >= 1 || t.warmup < 0 ||
        t.warmup >= 1)
        bad("transformer dropout, label_smoothing and head_mask must be in [0, 1), mask_probability in (0, 1)");
    if (t.loraRank < 0 || (t.loraRank > 0 && t.loraRank >= dim))
        bad("LoRA rank (" + std::to_string(t.loraRank) + ") must be below dim (" + std::to_string(dim) + ")");
    if (t.loraRank > 0 && t.stage != TextStage::Finetune)
        bad("LoRA is for fine-tuning (stage finetune)");
    if (t.loraRank > 0 && !(t.loraAlpha > 0))
        bad("lora_alpha must be positive");
    if (t.loraEntities != "full" && t.loraEntities != "adapter")
        bad("lora_entities must be full or adapter, not '" + t.loraEntities + "'");
    if (t.lambdaLm < 0 || t.lambdaKge < 0 || t.lambdaReason < 0)
        bad("the joint-loss weights lambda_lm, lambda_kge and lambda_reason must be >= 0");
    if (t.targets != "one" && t.targets != "all")
        bad("targets must be one or all, not '" + t.targets + "'");
    if (t.initFrom < 0)
        bad("init_from must be a run id");
    std::string rest = t.loraTargets;
    while (t.loraRank > 0) {
        const auto comma = rest.find(',');
        const std::string name = rest.substr(0, comma);
        if (name != "q" && name != "k" && name != "v" && name != "o" && name != "ff1" && name != "ff2")
            bad("lora_targets: '" + name + "' is not one of q, k, v, o, ff1, ff2");
        if (comma == std::string::npos)
            break;
        rest = rest.substr(comma + 1);
    }
}

} // namespace kg::ml
