#pragma once

#include <QString>

/// Still photos through the face finder on one core (bench_labelling's photo section): each
/// shared photo and a 1,900-px group photo (group.jpeg upscaled, written to `work`), decoded
/// and searched for every face (fa::FaceFinder defaults: dlib HOG, faces from 40 px, 68
/// landmarks, whole-face crops, JPEG encoding), median of `runs`; baseline in the same process:
/// the path photos took before, the largest face of the photo scanned at 384 px
/// (FaceFinder::findInVideoFrame). Then the whole folder imported by FaceImporter, faces/s.
void benchPhotoImport(const QString &work, int runs);
