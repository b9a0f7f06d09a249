#pragma once

#include "training/face_crop_dataset.h"
#include "training/triplet_dataset.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

namespace fa {

struct TrainingConfig;

/// Progress of a data load: fraction in [0,1] and a status line.
using DataLoadProgress = std::function<void(double fraction, const QString &status)>;

/// How a run finds faces in folders and videos: video_frame_step and the face finder keys
/// (detector, yunet_model, min_face, all_faces, tilt_search) of `config`, with `cancel` and
/// `progress`.
FaceCropLoadOptions faceLoadOptions(const TrainingConfig &config, const std::atomic_bool *cancel = nullptr,
                                    const DataLoadProgress &progress = {});

/// Face crops for MAE pre-training from the paths of TrainingConfig::data: project folders
/// (their crops), folders of images and videos, single images and videos (faces found and
/// cropped as the importer does, with `options`' face finder settings; every frameStep-th
/// video frame). Errors ("PATH: what"): a missing path, an unreadable project, no face at all
/// (naming, per file, why: no face found, faces too small, image smaller than the minimum face
/// size), face finder options that cannot be applied, "cancelled". Files that fail to read are
/// skipped (reported in `problems` when given).
std::optional<FaceCropDataset> loadTrainingFaces(const QStringList &paths, const FaceCropLoadOptions &options,
                                                 QStringList *problems, QString *error);

/// Triplets from paths (several are concatenated, images renumbered):
/// - a project folder: its judged triplets (TripletDataset::fromProject);
/// - a .csv file: the reference 4-column CSV, or FEC's 28-column CSV when its first line is not
///   the reference header; images relative to `imageDir`, or to the CSV's folder when empty;
/// - another folder: its images (faces found and cropped) with emotion categories and
///   identities from their file names (Yale: subject01_happy.png) -> `categoryTriplets`
///   TWO_CLASS triplets (0 = 4 per face) drawn with `seed` (TripletDataset::fromCategories).
/// Faces in folders are found with `options` (its progress and cancel are used too).
/// Errors "PATH: what": missing path, unreadable CSV or project, no triplet.
std::optional<TripletDataset> loadTrainingTriplets(const QStringList &paths, const QString &imageDir,
                                                   qsizetype categoryTriplets, std::uint64_t seed,
                                                   const FaceCropLoadOptions &options, QString *error);

} // namespace fa
