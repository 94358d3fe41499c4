import { useEffect, useMemo, useState } from 'react';
import { Api } from './api.js';
import ImageViewer from './ImageViewer.jsx';

// One result's image large, with every result of that image (other taskers' too) to compare.
export default function ReviewImageViewer({ train, job, colours, position, onPrev, onNext, onClose }) {
  const [trains, setTrains] = useState([train]);

  useEffect(() => {
    let alive = true;
    setTrains([train]);
    Api.taskTrains(train.taskId).then((r) => { if (alive) setTrains(r.items); }).catch(() => { /* keep the one result */ });
    return () => { alive = false; };
  }, [train.id, train.taskId]); // eslint-disable-line react-hooks/exhaustive-deps

  const names = useMemo(() => new Map(trains.map((t) => [t.taskerId, t.taskerName || `Tasker #${t.taskerId}`])), [trains]);
  const task = {
    id: train.taskId, width: train.imageWidth, height: train.imageHeight,
    filename: `Image ${train.taskId}`, resultsWanted: job.resultsPerImage,
  };
  return (
    <ImageViewer task={task} trains={trains} colours={colours} names={names} job={job}
      position={position} onPrev={onPrev} onNext={onNext} onClose={onClose} />
  );
}
