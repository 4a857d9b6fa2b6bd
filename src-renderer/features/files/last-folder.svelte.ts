/** The folder the browser showed last, so choosing files again starts where the person was. */
export const lastFolder = $state<{ path: string | null }>({ path: null });
