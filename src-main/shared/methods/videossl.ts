import { z } from 'zod';
import { declareMethod } from './method-declaration.js';

export const videoSsl = declareMethod({
  name: 'videossl',
  title: 'VideoSSL (image teacher)',
  summary:
    'Pseudo-labels its confident predictions, and an extra head learns what an image model you supply (a TF.js model folder) sees in one frame of every clip. Needs that teacher.',
  settings: ['teacherDir', 'threshold', 'lambdaU', 'distillWeight', 'mu'],
  unlabelledViews: 'weak',
  teacher: true,
  own: {
    /** The image teacher, a folder holding a TF.js layers model that takes images (absolute path). */
    teacherDir: z
      .string()
      .min(1)
      .max(4096)
      .refine((p) => !p.includes('\0') && (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)), 'The teacher folder must be an absolute path.')
      .nullable()
      .default(null),
    /** λd, the weight of the distillation loss KL(teacher ‖ student's extra head). */
    distillWeight: z.number().min(0).max(100).default(1),
  },
});
