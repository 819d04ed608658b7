// Where the lab images' build contexts are: images/ in the project, or GUNICORN_LAB_IMAGES_DIR (a changed copy: the
// image build failure test).
import path from 'node:path';
import { fromRoot } from '../project-root.ts';

export const IMAGES_DIR = process.env.GUNICORN_LAB_IMAGES_DIR ? path.resolve(process.env.GUNICORN_LAB_IMAGES_DIR) : fromRoot('images');
