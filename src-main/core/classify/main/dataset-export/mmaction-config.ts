/**
 * The MMAction2 1.x config written beside an exported dataset: an R(2+1)D recognizer fed the
 * app's input spec (frames per clip, S×S after a short-side resize and centre crop, pixel / 255),
 * self-contained (no _base_ files) so `tools/dist_train.sh CONFIG N` runs it from any checkout.
 */
import { defaultTrainSettings } from '../../../../shared/training.js';

export interface MmactionConfigInput {
  name: string;
  /** Absolute folder of the dataset: list paths are relative to it. */
  dataRoot: string;
  classes: readonly string[];
  frames: number;
  size: number;
  /** Frames between sampled frames: spreads `frames` over a typical clip, as the app does. */
  frameInterval: number;
  trainList: string;
  valList: string;
}

/** Epochs of the written schedule: a starting point for training from scratch, not a tuned value. */
export const CONFIG_EPOCHS = 50;

/** A Python string literal (JSON's escapes are Python's too). */
const py = (text: string): string => JSON.stringify(text);

/** Frames between samples so `frames` frames cover a clip of `clipFrames` (at least 1). */
export function frameIntervalFor(clipFrames: number, frames: number): number {
  return Math.max(1, Math.floor(clipFrames / frames));
}

export function mmactionConfig(input: MmactionConfigInput): string {
  const { frames, size, frameInterval } = input;
  const app = defaultTrainSettings('supervised');
  return `# MMAction2 1.x config written by VSSL Studio for the dataset "${input.name}".
# Train on N GPUs from an MMAction2 checkout:  bash tools/dist_train.sh ${py(`${input.dataRoot}/configs/${input.name}_r2plus1d.py`)} N
# Classes (index: name): ${input.classes.map((c, i) => `${i}: ${c.replace(/\s+/g, ' ')}`).join(', ')}
# Input as the app trains: ${frames} frames of ${size}x${size} RGB, short side resized then centre-cropped,
# pixel values / 255 (mean 0, std 255 below). Moved the folder? Change data_root.

default_scope = 'mmaction'

data_root = ${py(input.dataRoot)}
ann_file_train = ${py(`${input.dataRoot}/${input.trainList}`)}
ann_file_val = ${py(`${input.dataRoot}/${input.valList}`)}
num_classes = ${input.classes.length}

model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet2Plus1d',
        depth=34,
        pretrained=None,
        pretrained2d=False,
        norm_eval=False,
        conv_cfg=dict(type='Conv2plus1d'),
        norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3),
        act_cfg=dict(type='ReLU'),
        conv1_kernel=(3, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=1,
        inflate=(1, 1, 1, 1),
        spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 2, 2, 2),
        zero_init_residual=False),
    cls_head=dict(
        type='I3DHead',
        num_classes=num_classes,
        in_channels=512,
        spatial_type='avg',
        dropout_ratio=${app.dropout},
        init_std=0.01,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[0.0, 0.0, 0.0],
        std=[255.0, 255.0, 255.0],
        format_shape='NCTHW'))

file_client_args = dict(io_backend='disk')
train_pipeline = [
    dict(type='DecordInit', **file_client_args),
    dict(type='SampleFrames', clip_len=${frames}, frame_interval=${frameInterval}, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, ${size})),
    dict(type='CenterCrop', crop_size=${size}),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit', **file_client_args),
    dict(type='SampleFrames', clip_len=${frames}, frame_interval=${frameInterval}, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, ${size})),
    dict(type='CenterCrop', crop_size=${size}),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=${app.batchSize},
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoDataset',
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=${app.batchSize},
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoDataset',
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root),
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=${CONFIG_EPOCHS}, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=${CONFIG_EPOCHS}, eta_min=0, by_epoch=True, begin=0, end=${CONFIG_EPOCHS})
]
# The app's SGD defaults; auto_scale_lr scales the rate to the total batch when enabled.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=${app.learningRate}, momentum=${app.momentum}, weight_decay=${app.weightDecay}),
    clip_grad=dict(max_norm=40, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=${app.batchSize})

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, save_best='auto', max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffers=dict(type='SyncBuffersHook'))
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
work_dir = ${py(`./work_dirs/${input.name}_r2plus1d`)}
`;
}
