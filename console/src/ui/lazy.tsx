/**
 * Views loaded when first shown: each is a chunk of its own, with the SDK commands it uses, so the incident list
 * (the page a responder opens first) does not wait for the code of the others.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, Loading } from './components.tsx';

export function lazyView<Props extends object>(load: () => Promise<ComponentType<Props>>, what: string) {
  let loaded: ComponentType<Props> | undefined;
  return function LazyView(props: Props) {
    const [View, setView] = useState<ComponentType<Props> | undefined>(() => loaded);
    const [error, setError] = useState<unknown>();
    useEffect(() => {
      if (View) return;
      load()
        .then((component) => {
          loaded = component;
          setView(() => component);
        })
        .catch(setError);
    }, [View]);
    if (error) return <ErrorNote error={error} context={`The ${what} page could not be loaded`} />;
    return View ? <View {...props} /> : <Loading what={`the ${what} page`} />;
  };
}
