#undef QT_NO_CAST_FROM_ASCII
#undef QT_NO_CAST_TO_ASCII
#undef QT_RESTRICTED_CAST_FROM_ASCII
// temporary: landmark extents in eye-normalised coordinates
#include "projectio/face_crop_geometry.h"
#include "projectio/face_finder.h"
#include "media/video_reader.h"
#include <QDir>
#include <QDirIterator>
#include <QCoreApplication>
#include <opencv2/imgcodecs.hpp>
#include <cstdio>
#include <cmath>
#include <algorithm>
using namespace fa;
struct Ext { double minX, maxX, minY, maxY, em; QString name; };
std::vector<Ext> all;
void measure(const FaceFinder &finder, const cv::Mat &img, const QString &name, bool video) {
    FoundFaces found = video ? finder.findInVideoFrame(img) : finder.findInImage(img);
    for (auto &f : found.faces) {
        cv::Point2f l, r; if (!eyeCentres(f.landmarks, &l, &r)) continue;
        // frame: right eye (image left) at (0,0)... use midpoint origin, x along r->l, unit = IOD
        cv::Point2f mid = (l + r) * 0.5f; cv::Point2f ax = l - r; double iod = std::hypot(ax.x, ax.y); ax /= float(iod);
        cv::Point2f ay(-ax.y, ax.x);
        Ext e{1e9,-1e9,1e9,-1e9,0,name};
        for (auto &p : f.landmarks) { cv::Point2f d(float(p.x()) - mid.x, float(p.y()) - mid.y); double x = (d.x*ax.x + d.y*ax.y)/iod, y = (d.x*ay.x + d.y*ay.y)/iod;
            e.minX = std::min(e.minX, x); e.maxX = std::max(e.maxX, x); e.minY = std::min(e.minY, y); e.maxY = std::max(e.maxY, y); }
        cv::Point2f m(float((f.landmarks[48].x()+f.landmarks[54].x())/2), float((f.landmarks[48].y()+f.landmarks[54].y())/2));
        e.em = std::hypot(m.x-mid.x, m.y-mid.y)/iod;
        all.push_back(e);
    }
}
int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    FaceFinder finder; QString err; finder.loadLandmarks(&err);
    const QString d = QStringLiteral(FA_TEST_DATA_DIR);
    QDirIterator it(d + "/images", {"*.png","*.jpg","*.jpeg"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) { QString p = it.next(); measure(finder, cv::imread(p.toStdString()), p.section(QLatin1Char('/'), -2), false); }
    for (QString v : QDir(d + "/videos").entryList({"*.mp4"})) {
        VideoReader r; r.open(d + "/videos/" + v); VideoFrame fr; while (r.readFrame(&fr)) if (fr.index % 5 == 0) measure(finder, fr.image, v + " " + QString::number(fr.index), true);
    }
    auto pct = [&](auto get, double q) { std::vector<double> v; for (auto &e : all) v.push_back(get(e)); std::sort(v.begin(), v.end()); return v[size_t(q*(v.size()-1))]; };
    printf("%zu faces\n", all.size());
    for (double q : {0.0, 0.01, 0.05, 0.5, 0.95, 0.99, 1.0})
        printf("q%.2f minX %.2f maxX %.2f minY %.2f maxY %.2f em %.2f\n", q, pct([](auto&e){return e.minX;},q), pct([](auto&e){return e.maxX;},q), pct([](auto&e){return e.minY;},q), pct([](auto&e){return e.maxY;},q), pct([](auto&e){return e.em;},q));
    // worst
    std::sort(all.begin(), all.end(), [](auto&a, auto&b){return a.maxY > b.maxY;});
    for (int i = 0; i < 8; ++i) printf("maxY %.2f %s\n", all[i].maxY, qPrintable(all[i].name));
    std::sort(all.begin(), all.end(), [](auto&a, auto&b){return std::max(-a.minX,a.maxX) > std::max(-b.minX,b.maxX);});
    for (int i = 0; i < 8; ++i) printf("maxX %.2f %.2f %s\n", all[i].minX, all[i].maxX, qPrintable(all[i].name));
}
