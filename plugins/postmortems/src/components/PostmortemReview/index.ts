export { PostmortemReview } from './PostmortemReview';
export { AmendedNotice } from './AmendedNotice';
