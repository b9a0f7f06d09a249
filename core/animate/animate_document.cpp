#include "animate/animate_document.h"

#include "animate/change_calibration_command.h"
#include "animate/change_curves_command.h"
#include "animate/replace_animation_command.h"
#include "animation/key_reduction.h"

#include <QUndoStack>

#include <algorithm>
#include <atomic>

namespace fa {

namespace {

// Selected frames of one channel that have keys in `curve`, ascending.
std::vector<int> selectedKeyFrames(const KeyframeCurve &curve, const std::vector<int> &frames)
{
    std::vector<int> result;
    for (int frame : frames) {
        if (curve.hasKey(frame))
            result.push_back(frame);
    }
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
}

} // namespace

AnimateDocument::AnimateDocument(QObject *parent)
    : QObject(parent)
    , m_undoStack(new QUndoStack(this))
{
}

AnimateDocument::~AnimateDocument() = default;

int AnimateDocument::nextMergeId()
{
    static std::atomic<int> next{1000};
    return next++;
}

void AnimateDocument::resetAnimation(RigAnimation animation)
{
    m_undoStack->clear();
    m_animation = std::move(animation);
    Q_EMIT animationReset();
}

void AnimateDocument::applyCurves(const std::map<int, KeyframeCurve> &curves)
{
    QList<int> channels;
    for (const auto &[channel, curve] : curves) {
        m_animation.setCurve(channel, curve);
        channels.append(channel);
    }
    Q_EMIT curvesChanged(channels);
}

void AnimateDocument::applyCalibration(int channel, ChannelCalibration calibration)
{
    m_animation.setCalibration(channel, calibration);
    Q_EMIT calibrationChanged(channel);
}

void AnimateDocument::applyAnimation(const RigAnimation &animation)
{
    m_animation = animation;
    Q_EMIT animationReset();
}

std::map<int, KeyframeCurve> AnimateDocument::baseCurves(const KeySelection &selection,
                                                         int mergeId) const
{
    const ChangeCurvesCommand *chain = nullptr;
    if (mergeId >= 0 && m_undoStack->index() > 0) {
        const QUndoCommand *top = m_undoStack->command(m_undoStack->index() - 1);
        if (top && top->id() == mergeId)
            chain = dynamic_cast<const ChangeCurvesCommand *>(top);
    }
    std::map<int, KeyframeCurve> base;
    for (const auto &[channel, frames] : selection) {
        if (frames.empty() || channel < 0 || channel >= m_animation.channelCount())
            continue;
        base[channel] = m_animation.curve(channel);
        if (chain) {
            const auto it = chain->before().find(channel);
            if (it != chain->before().end())
                base[channel] = it->second;
        }
    }
    return base;
}

void AnimateDocument::pushCurves(std::map<int, KeyframeCurve> after, const QString &text,
                                 int mergeId)
{
    std::map<int, KeyframeCurve> before;
    for (auto it = after.begin(); it != after.end();) {
        if (it->first < 0 || it->first >= m_animation.channelCount()
            || it->second == m_animation.curve(it->first)) {
            it = after.erase(it);
        } else {
            before.emplace(it->first, m_animation.curve(it->first));
            ++it;
        }
    }
    if (after.empty())
        return;
    m_undoStack->push(new ChangeCurvesCommand(this, std::move(before), std::move(after), text,
                                              mergeId));
}

void AnimateDocument::setCurves(const std::map<int, KeyframeCurve> &curves, const QString &text,
                                int mergeId)
{
    pushCurves(curves, text, mergeId);
}

void AnimateDocument::insertKeys(const std::vector<int> &channels, int frame)
{
    if (m_animation.frameCount() == 0)
        return;
    frame = std::clamp(frame, 0, m_animation.frameCount() - 1);
    std::map<int, KeyframeCurve> after;
    for (int channel : channels) {
        if (channel < 0 || channel >= m_animation.channelCount())
            continue;
        KeyframeCurve curve = m_animation.curve(channel);
        curve.setKey(frame, curve.valueAt(frame));
        after[channel] = std::move(curve);
    }
    pushCurves(std::move(after), tr("Insert Keys"), -1);
}

void AnimateDocument::deleteKeys(const KeySelection &selection)
{
    std::map<int, KeyframeCurve> after = baseCurves(selection, -1);
    for (auto &[channel, curve] : after) {
        for (int frame : selection.at(channel))
            curve.removeKey(frame);
    }
    pushCurves(std::move(after), tr("Delete Keys"), -1);
}

void AnimateDocument::moveKeys(const KeySelection &selection, int frameDelta, float valueDelta,
                               int mergeId)
{
    if (m_animation.frameCount() == 0)
        return;
    const int lastFrame = m_animation.frameCount() - 1;
    std::map<int, KeyframeCurve> after = baseCurves(selection, mergeId);
    for (auto &[channel, curve] : after) {
        const std::vector<int> frames = selectedKeyFrames(curve, selection.at(channel));
        std::vector<KeyframeCurve::Key> moved;
        moved.reserve(frames.size());
        for (int frame : frames) {
            const float value = curve.keys()[size_t(curve.keyIndex(frame))].value;
            moved.push_back({std::clamp(frame + frameDelta, 0, lastFrame), value + valueDelta});
        }
        for (int frame : frames)
            curve.removeKey(frame);
        // When clamping stacks keys on one frame, the one that moved least far is set last.
        if (frameDelta < 0)
            std::reverse(moved.begin(), moved.end());
        for (const KeyframeCurve::Key &key : moved)
            curve.setKey(key.frame, key.value);
    }
    pushCurves(std::move(after), tr("Move Keys"), mergeId);
}

void AnimateDocument::setKeyValues(const KeySelection &selection, float value, int mergeId)
{
    std::map<int, KeyframeCurve> after = baseCurves(selection, -1);
    for (auto &[channel, curve] : after) {
        for (int frame : selectedKeyFrames(curve, selection.at(channel)))
            curve.setKey(frame, value);
    }
    pushCurves(std::move(after), tr("Set Key Values"), mergeId);
}

bool AnimateDocument::filterKeys(const KeySelection &selection, const CurveFilter &filter,
                                 QString *error)
{
    std::map<int, KeyframeCurve> after = baseCurves(selection, -1);
    const int frameCount = m_animation.frameCount();
    for (auto &[channel, curve] : after) {
        const std::vector<int> &frames = selection.at(channel);
        const int first = std::clamp(*std::min_element(frames.begin(), frames.end()), 0,
                                     std::max(frameCount - 1, 0));
        const int last = std::clamp(*std::max_element(frames.begin(), frames.end()), 0,
                                    std::max(frameCount - 1, 0));
        const int count = frameCount > 0 ? last - first + 1 : 0;
        std::vector<float> raw(size_t(std::max(count, 0)));
        curve.sampleInto(first, count, raw.data());
        std::vector<double> values(raw.begin(), raw.end());
        std::vector<double> times(size_t(std::max(count, 0)));
        for (int i = 0; i < count; ++i)
            times[size_t(i)] = m_animation.frameTime(first + i);
        QString why;
        if (!applyCurveFilter(filter, m_animation.fps(), times, values, &why)) {
            if (error)
                *error = QStringLiteral("%1: %2")
                             .arg(m_animation.controlNames().value(channel), why);
            return false;
        }
        curve.removeKeys(first, last);
        for (int i = 0; i < count; ++i)
            curve.setKey(first + i, float(values[size_t(i)]));
    }
    pushCurves(std::move(after), tr("Filter Keys"), -1);
    return true;
}

void AnimateDocument::reduceKeys(const KeySelection &selection, double tolerance)
{
    std::map<int, KeyframeCurve> after = baseCurves(selection, -1);
    for (auto &[channel, curve] : after) {
        const std::vector<int> &frames = selection.at(channel);
        const int first = *std::min_element(frames.begin(), frames.end());
        const int last = *std::max_element(frames.begin(), frames.end());
        const int begin = curve.lowerBound(first);
        const int end = curve.lowerBound(last + 1);
        const std::vector<KeyframeCurve::Key> span(curve.keys().begin() + begin,
                                                   curve.keys().begin() + end);
        const std::vector<KeyframeCurve::Key> kept = fa::reduceKeys(span, tolerance);
        curve.removeKeys(first, last);
        for (const KeyframeCurve::Key &key : kept)
            curve.setKey(key.frame, key.value);
    }
    pushCurves(std::move(after), tr("Reduce Keys"), -1);
}

void AnimateDocument::setCalibration(int channel, ChannelCalibration calibration, int mergeId)
{
    if (channel < 0 || channel >= m_animation.channelCount())
        return;
    const ChannelCalibration before = m_animation.calibration(channel);
    if (before == calibration)
        return;
    m_undoStack->push(new ChangeCalibrationCommand(this, channel, before, calibration, mergeId));
}

void AnimateDocument::replaceAnimation(RigAnimation animation, const QString &text)
{
    m_undoStack->push(new ReplaceAnimationCommand(this, m_animation, std::move(animation), text));
}

} // namespace fa
