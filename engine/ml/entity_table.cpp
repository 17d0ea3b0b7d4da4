#include "ml/entity_table.h"

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/gnn_trainer.h"
#include "ml/kg_data.h"
#include "ml/text_trainer.h"
#include "ml/train_job.h"
#include "ml/trainer.h"
#include "store/project.h"

namespace kg::ml {

std::optional<int64_t> runOf(const std::string& model)
{
    if (model.rfind("run:", 0) != 0)
        return std::nullopt;
    try {
        return std::stoll(model.substr(4));
    } catch (const std::exception&) {
        throw Error(Errc::InvalidArgument, "'" + model + "' is not run:N");
    }
}

ModelBytes readModel(Project& project, const std::string& model)
{
    const std::optional<int64_t> run = runOf(model);
    if (!run)
        return {readCheckpointFile(model), "'" + model + "'"};
    return {keptModelBytes(project, *run), "run " + std::to_string(*run)};
}

torch::Tensor entityTable(const std::string& projectPath, const ModelBytes& model, const KgData& data,
                          std::string& description)
{
    auto checkpoint = openCheckpoint(model.bytes, model.name); // read once: config, then the load
    TrainConfig config = checkpoint.info.config;
    config.device = "cpu";
    description = std::string(modelName(config.model)) + " d" + std::to_string(config.dim);
    torch::NoGradGuard noGrad;
    if (config.model == ModelKind::CompGCN) { // the encoder's output over the train graph: what the decoder scores
        GnnTrainer trainer(config, data);
        loadCheckpoint(checkpoint, model.name, trainer);
        return trainer.states().first.to(torch::kCPU, torch::kFloat32).contiguous();
    }
    if (config.model == ModelKind::Transformer) {
        config.transformer.initFrom = 0;
        config.transformer.stage = TextStage::Finetune; // no description examples needed
        TextTrainer trainer(config, data, projectPath);
        loadCheckpoint(checkpoint, model.name, trainer); // checks every shape
        return trainer.entityVectors();
    }
    Trainer trainer(config, data);
    loadCheckpoint(checkpoint, model.name, trainer);
    return trainer.model()->allEntities().detach().to(torch::kCPU, torch::kFloat32).contiguous();
}

} // namespace kg::ml
